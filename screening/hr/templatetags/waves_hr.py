"""Interviewers' ratings on HR's application page, read where they are drawn (the page's view stays as it is)."""

from django import template

from ...profile_keys import sub_labels
from ...waves import selectors as waves

register = template.Library()


@register.inclusion_tag("hr/_scorecards.html")
def interviewer_ratings(application):
    labels = sub_labels("traits")
    cards = [
        {
            "card": card,
            "ratings": [(str(labels.get(code, code)), value) for code, value in card.ratings.items()],
        }
        for card in waves.application_scorecards(application=application)
    ]
    return {"cards": cards, "booking": waves.application_booking(application=application)}
