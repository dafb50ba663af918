"""Request middleware shared by the whole hub."""

from django.db import transaction


class AtomicAdminWritesMiddleware:
    """Runs every write request to the admin in one database transaction.

    Publishing, unpublishing, moving and deleting a page fire signals that
    update the API's read model and change log; in one transaction, either
    everything is recorded or nothing changes.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("POST", "PUT", "PATCH", "DELETE") and request.path.startswith(
            "/admin/"
        ):
            with transaction.atomic():
                response = self.get_response(request)
                # Django turns an exception in the view into a 500 before it
                # reaches us, so roll back on the response, not the exception.
                if response.status_code >= 500:
                    transaction.set_rollback(True)
                return response
        return self.get_response(request)
