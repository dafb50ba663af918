"""A community notice goes live only through the street's review, driven through the real admin."""

from wagtail.models import WorkflowState

import pytest
from playwright.sync_api import Page, expect

from demo.builder import DemoBuilder
from home.models import CommunityHomePage
from notices.models import NoticePage

PASSWORD = "linli-browser-pw-2026"
TITLE = "关于老年人助餐补贴申领的通知"
SUMMARY = "即日起，60 周岁以上居民可到社区服务站申领助餐补贴。"
REVIEW_COMMENT = "内容核实无误，同意发布。"


def log_in(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/admin/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(f"{base_url}/admin/")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_community_notice_goes_live_once_the_street_reviewer_approves(live_server, new_page):
    builder = DemoBuilder.from_file()
    builder.build(password_for=lambda: PASSWORD)
    code = builder.data["communities"][0]["code"]
    community = CommunityHomePage.objects.get(code=code)

    # The community editor writes the notice and submits it for review.
    editor = new_page()
    log_in(editor, live_server.url, f"editor_{code}")
    editor.goto(f"{live_server.url}/admin/pages/")  # an editor's explorer opens on their community
    editor.get_by_role("link", name="查看'通知公告'的子页面").click()
    editor.get_by_role("link", name="添加子页面").first.click()
    # 政策通知 is the only type a notice list accepts, so Wagtail skips the type chooser.
    expect(editor.get_by_role("heading", name="新建: 政策通知")).to_be_attached()
    editor.locator("input[name=title]").fill(TITLE)
    editor.locator("input[name=summary]").fill(SUMMARY)
    editor.get_by_role("checkbox", name="老年人", exact=True).check()

    editor.get_by_role("button", name="更多动作").click()
    submit = editor.get_by_role("button", name="提交给通知审核")
    expect(submit).to_be_visible()
    expect(editor.locator("button[name=action-publish]")).to_have_count(0)
    expect(editor.get_by_role("button", name="发布", exact=True)).to_have_count(0)
    submit.click()

    expect(editor.get_by_role("status")).to_contain_text(f"页面 '{TITLE}' 已创建并提交审核")
    row = editor.get_by_role("row").filter(has=editor.get_by_role("link", name=TITLE))
    expect(row).to_contain_text("审核中")
    notice = NoticePage.objects.get(title=TITLE)
    assert not notice.live
    assert notice.summary == SUMMARY
    assert [category.name for category in notice.audience.all()] == ["老年人"]

    # The street reviewer finds it on the dashboard and approves it with a comment.
    reviewer = new_page()
    log_in(reviewer, live_server.url, "reviewer")
    awaiting = reviewer.locator("section").filter(
        has=reviewer.get_by_role("heading", name="等待你的审查")
    )
    awaiting.get_by_role("link", name=TITLE).click()
    expect(reviewer.locator("input[name=title]")).to_have_value(TITLE)
    reviewer.get_by_role("button", name="更多动作").click()
    # Control for the editor's check above: a reviewer is offered 发布.
    expect(reviewer.locator("button[name=action-publish]")).to_have_count(1)
    expect(reviewer.get_by_role("button", name="发布", exact=True)).to_have_count(1)
    reviewer.get_by_role("button", name="带评论批准 和发布").click()
    dialog = reviewer.get_by_role("dialog").filter(has=reviewer.get_by_label("评论", exact=True))
    dialog.get_by_label("评论", exact=True).fill(REVIEW_COMMENT)
    dialog.get_by_role("button", name="带评论批准").click()
    # Wagtail reports a workflow action taken from the edit view as a plain update.
    expect(reviewer.get_by_role("status")).to_contain_text(f"页面 '{TITLE}' 已被更新")

    notice.refresh_from_db()
    assert notice.live
    assert notice.live_revision is not None
    assert notice.community_id == community.pk
    assert notice.street_id == community.get_parent().pk
    state = WorkflowState.objects.for_instance(notice).get()
    assert state.status == WorkflowState.STATUS_APPROVED
    assert [task.comment for task in state.task_states.all()] == [REVIEW_COMMENT]

    # Residents see it on the street's site.
    resident = new_page()
    response = resident.goto(f"{live_server.url}{notice.get_url()}")
    assert response is not None
    assert response.status == 200
    expect(resident.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(resident.get_by_text(SUMMARY, exact=True)).to_be_visible()
