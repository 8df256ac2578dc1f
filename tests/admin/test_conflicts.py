"""Two people editing one brief: the second save is refused, nothing is lost."""

import pytest
from django.test import Client

from briefs.models import StaleBriefError
from tests.factories import UserFactory

from .conftest import change_url, form_data


@pytest.fixture
def two_editors(db):
    alice = Client()
    alice.force_login(UserFactory(username="alice", first_name="Alice", editor=True))
    bob = Client()
    bob.force_login(UserFactory(username="bob", editor=True))
    return alice, bob


@pytest.mark.django_db
def test_second_save_is_refused_naming_who_saved_and_what_changed(
    two_editors, full_brief
):
    alice, bob = two_editors
    alice_form = form_data(alice.get(change_url(full_brief)).text)
    bob_form = form_data(bob.get(change_url(full_brief)).text)

    alice_form["sections-0-bullets-0-text"] = "Members met behind closed doors."
    assert alice.post(change_url(full_brief), alice_form).status_code == 302

    bob_form["summary"] = "Bob's careful rewrite of the summary, which he wants kept."
    response = bob.post(change_url(full_brief), bob_form)

    assert response.status_code == 200
    errors = " ".join(response.context["adminform"].form.non_field_errors())
    assert "Alice saved this brief" in errors
    assert "Section 1, bullet 1 changed" in errors
    # Bob's text is still in the form, and Alice's save stands.
    assert "Bob&#x27;s careful rewrite of the summary" in response.text
    full_brief.refresh_from_db()
    assert full_brief.summary != bob_form["summary"]
    assert full_brief.sections.first().bullets.first().text == (
        "Members met behind closed doors."
    )


@pytest.mark.django_db
def test_saving_again_after_a_conflict_keeps_the_second_persons_text(
    two_editors, full_brief
):
    alice, bob = two_editors
    alice_form = form_data(alice.get(change_url(full_brief)).text)
    bob_form = form_data(bob.get(change_url(full_brief)).text)
    alice_form["title"] = "Alice's title for the brief"
    alice.post(change_url(full_brief), alice_form)
    bob_form["summary"] = "Bob's careful rewrite of the summary, which he wants kept."
    refused = bob.post(change_url(full_brief), bob_form)

    again = form_data(refused.text)
    assert bob.post(change_url(full_brief), again).status_code == 302
    full_brief.refresh_from_db()
    assert full_brief.summary == bob_form["summary"]


@pytest.mark.django_db
def test_model_save_with_an_outdated_version_raises(full_brief):
    full_brief.save()
    with pytest.raises(StaleBriefError):
        full_brief.save(expected_version=1)


@pytest.mark.django_db
def test_a_save_that_slips_past_the_form_check_is_refused_without_losing_text(
    two_editors, full_brief, monkeypatch
):
    from django import forms

    from briefs.admin import BriefAdminForm

    alice, bob = two_editors
    alice_form = form_data(alice.get(change_url(full_brief)).text)
    bob_form = form_data(bob.get(change_url(full_brief)).text)
    alice_form["title"] = "Alice's title for the brief"
    alice.post(change_url(full_brief), alice_form)
    checked = BriefAdminForm.clean
    calls = []

    def check_too_early(self):
        # The first check runs as if Alice had not saved yet: the race.
        calls.append(self)
        if len(calls) == 1:
            return forms.ModelForm.clean(self)
        return checked(self)

    monkeypatch.setattr(BriefAdminForm, "clean", check_too_early)
    bob_form["summary"] = "Bob's careful rewrite of the summary, which he wants kept."
    response = bob.post(change_url(full_brief), bob_form)

    assert len(calls) == 2
    assert response.status_code == 200
    assert "Alice saved this brief" in response.text
    assert "Bob&#x27;s careful rewrite" in response.text
    full_brief.refresh_from_db()
    assert full_brief.title == "Alice's title for the brief"
    assert full_brief.summary != bob_form["summary"]
