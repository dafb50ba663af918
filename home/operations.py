"""Write-side operations on the street office's tree."""

from django.contrib.auth.models import Group, Permission

from wagtail.models import Page, get_page_models

from core.content_types import content_types
from home.models import CommunityHomePage, PlacedPage, StreetHomePage
from home.selectors import placement_for_path


def placed_page_models() -> list[type[PlacedPage]]:
    """Every concrete page model that belongs to a street office or a community."""
    return [model for model in get_page_models() if issubclass(model, PlacedPage)]


def placement_refresh_subtree(*, page: Page) -> int:
    """Re-derive street and community for every placed page at or under `page`; returns rows changed.

    Called after a move: a service index moved from one community to another
    carries its services with it.
    """
    changed = 0
    for model in placed_page_models():
        rows = model.objects.descendant_of(page, inclusive=True).values_list(
            "pk", "path", "street_id", "community_id"
        )
        for pk, path, street_id, community_id in rows:
            street, community = placement_for_path(path=path)
            new = (street.pk if street else None, community.pk if community else None)
            if new != (street_id, community_id):
                model.objects.filter(pk=pk).update(street_id=new[0], community_id=new[1])
                changed += 1
    return changed


EDITOR_SNIPPET_PERMISSIONS = [
    ("home", "view_organisation"),
    ("home", "view_servicepoint"),
    ("home", "view_residentcategory"),
    ("services", "view_servicecategory"),
    # Cases of bad ratings and residents' corrections, scoped to their community (feedback.views).
    ("feedback", "view_case"),
    ("feedback", "change_case"),
    ("feedback", "view_correction"),
    ("feedback", "change_correction"),
]
REVIEWER_SNIPPET_PERMISSIONS = [
    *EDITOR_SNIPPET_PERMISSIONS,
    ("home", "add_organisation"),
    ("home", "change_organisation"),
    ("home", "add_servicepoint"),
    ("home", "change_servicepoint"),
]
# Reviewers publish for the whole street: in production they sign in with a code from their phone too.
REVIEWER_PERMISSIONS = [*REVIEWER_SNIPPET_PERMISSIONS, ("accounts", "require_two_factor")]


def _permissions(pairs: list[tuple[str, str]]) -> list[Permission]:
    return [
        Permission.objects.get(content_type__app_label=app, codename=codename)
        for app, codename in pairs
    ]


def _grant_pages(group, page: Page, kinds: list[str]) -> None:
    from wagtail.models import GroupPagePermission

    for kind in kinds:
        if not GroupPagePermission.objects.filter(
            group=group, page=page, permission__codename=f"{kind}_page"
        ).exists():
            GroupPagePermission.objects.create(group=group, page=page, permission_type=kind)


def _grant_collection(group, collection) -> None:
    from wagtail.models import GroupCollectionPermission

    for app, codenames in (
        ("wagtailimages", ["add_image", "change_image", "choose_image"]),
        ("wagtaildocs", ["add_document", "change_document", "choose_document"]),
    ):
        for codename in codenames:
            GroupCollectionPermission.objects.get_or_create(
                group=group,
                collection=collection,
                permission=Permission.objects.get(content_type__app_label=app, codename=codename),
            )


def _collection_for(name: str):
    from wagtail.models import Collection

    root = Collection.get_first_root_node()
    existing = root.get_children().filter(name=name).first()
    return existing or root.add_child(name=name)


def community_editors_provision(*, community: CommunityHomePage) -> Group:
    """Create (or complete) the editor group of one community.

    Its editors add and change pages only inside their community, publish
    services and events directly, and submit notices for review: they have no
    publish permission on the notice list, so the review workflow applies.
    """
    group, _created = Group.objects.get_or_create(name=f"社区编辑 · {community.title}")
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
        *_permissions(EDITOR_SNIPPET_PERMISSIONS),
    )
    _grant_pages(group, community, ["add", "change", "lock", "unlock"])
    # No publish on the lists of reviewed types (notices): they go through the review workflow.
    published_directly = [ct.index_page_model for ct in content_types() if not ct.reviewed]
    for index in community.get_children().type(*published_directly):
        _grant_pages(group, index, ["publish"])
    _grant_collection(group, _collection_for(community.title))
    return group


def street_reviewers_provision(*, street: StreetHomePage) -> Group:
    """Create (or complete) the street-level reviewers who approve and publish what communities submit."""
    group, _created = Group.objects.get_or_create(name="街道审核员")
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
        *_permissions(REVIEWER_PERMISSIONS),
    )
    _grant_pages(group, street, ["add", "change", "publish", "lock", "unlock"])
    _grant_collection(group, _collection_for(street.title))
    return group


def notice_review_workflow_provision(*, street: StreetHomePage, reviewers: Group):
    """The review workflow for the street's tree: one approval step by the street reviewers.

    It applies to every page under the street, but only editors without publish
    permission (notices, or a community that chose review) have to go through it.
    """
    from wagtail.models import GroupApprovalTask, Workflow, WorkflowPage, WorkflowTask

    task = GroupApprovalTask.objects.filter(name="街道审核").first()
    if task is None:
        task = GroupApprovalTask.objects.create(name="街道审核")
    task.groups.add(reviewers)
    workflow, _created = Workflow.objects.get_or_create(name="通知审核")
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowPage.objects.update_or_create(page=street, defaults={"workflow": workflow})
    return workflow


def index_pages_ensure(*, parent: Page) -> dict[type[Page], Page]:
    """The list of every content type under a street or community page, created if missing."""
    wanted = [
        (ct.index_page_model, ct.plural, ct.index_title, ct.index_intro) for ct in content_types()
    ]
    found: dict[type[Page], Page] = {}
    for model, slug, title, intro in wanted:
        index = model.objects.child_of(parent).first()
        if index is None:
            index = parent.add_child(instance=model(title=title, slug=slug, intro=intro))
            index.save_revision().publish()
        found[model] = index
    return found


def street_provision(*, street: StreetHomePage) -> Group:
    """Everything a new street office needs: its lists, its reviewers and the review workflow."""
    index_pages_ensure(parent=street)
    reviewers = street_reviewers_provision(street=street)
    notice_review_workflow_provision(street=street, reviewers=reviewers)
    return reviewers


def community_provision(*, community: CommunityHomePage) -> Group:
    """Everything a new community needs: its lists and its editor group."""
    index_pages_ensure(parent=community)
    return community_editors_provision(community=community)
