"""The booking panel on the candidate's status page: their invitation and seat, read where the panel is drawn."""

from django import template

from ...waves import selectors as waves

register = template.Library()


@register.inclusion_tag("careers/_booking_summary.html")
def booking_panel(application):
    invitation = waves.application_invitation(application=application)
    booking = waves.application_booking(application=application) if invitation else None
    return {"application": application, "invitation": invitation, "booking": booking}
