"""Mail to staff about cases, sent outside the request."""

from django.core.mail import send_mail

from django_tasks import task


@task()
def staff_mail_send(subject: str, body: str, recipients: list[str]) -> int:
    """One message to the staff who handle or oversee a case; a repeat only repeats the mail."""
    if not recipients:
        return 0
    return send_mail(subject, body, None, recipients)
