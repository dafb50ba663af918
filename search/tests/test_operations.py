from wagtail.models import Page

from search import analysis
from search.models import IndexState, SearchTerm
from search.operations import search_dictionary_check


def test_new_database_records_the_dictionary_hash_without_rebuilding(db):
    SearchTerm.objects.all().delete()
    IndexState.objects.filter(key="dictionary_hash").delete()
    assert search_dictionary_check() is False
    assert IndexState.objects.get(key="dictionary_hash").value == analysis.dictionary_hash()


def test_changed_dictionary_rebuilds_the_index(yanglao):
    IndexState.objects.update_or_create(key="dictionary_hash", defaults={"value": "old"})
    SearchTerm.objects.filter(object_id=yanglao.pk).delete()
    assert not Page.objects.search("养老")

    assert search_dictionary_check() is True  # the test settings run tasks at once

    assert list(Page.objects.search("养老")) == [yanglao.page_ptr]
    assert IndexState.objects.get(key="dictionary_hash").value == analysis.dictionary_hash()


def test_unchanged_dictionary_does_nothing(yanglao):
    IndexState.objects.update_or_create(
        key="dictionary_hash", defaults={"value": analysis.dictionary_hash()}
    )
    assert search_dictionary_check() is False
