"""Pages shaped like the demo's, for search tests."""

import pytest

from services.factories import ServicePageFactory


@pytest.fixture
def yanglao(tree):
    """A live service titled 居家养老服务站提供助餐助洁服务 in community a."""
    return ServicePageFactory(
        parent=tree.a.services,
        title="居家养老服务站提供助餐助洁服务",
        summary="为60岁以上老年人提供助餐、助洁、助浴等上门服务。",
    )
