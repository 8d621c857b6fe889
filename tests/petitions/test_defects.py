from django.urls import reverse

from agencies.models import Agency
from petitions import services
from petitions.forms import RecordForm, ResolveForm, SubmitForm
from tests.factories import submit_petition


def test_resolve_form_outcome_has_empty_first_choice_and_is_required() -> None:
    form = ResolveForm()
    field = form.fields["outcome"]
    assert next(iter(field.choices))[0] == ""
    assert field.required
    assert "selected" not in str(form["outcome"]).split("</option>")[1]
    bound = ResolveForm(data={"outcome": "", "decision_number": "1", "result_summary": "x"})
    assert not bound.is_valid()
    assert "outcome" in bound.errors


def test_resolve_form_for_a_petition_keeps_the_empty_choice() -> None:
    class _P:
        kind = "complaint"

    form = ResolveForm(petition=_P())
    assert next(iter(form.fields["outcome"].choices))[0] == ""


def _timeline(html: str) -> str:
    start = html.index('<ol class="timeline">')
    return html[start : html.index("</ol>", start)]


def test_timeline_shows_from_and_to_only_when_the_status_changed(db, client, agency, lead) -> None:
    submitted = submit_petition(agency=agency)
    petition = submitted.petition
    services.petition_accept(petition=petition, actor=lead)
    services.petition_suspend(
        petition=petition, actor=lead, reason="Chờ giám định", decision_number="12/QĐ"
    )
    services.petition_add_note(petition=petition, actor=lead, note="Ghi chú")
    client.force_login(lead)
    staff = _timeline(client.get(reverse("petitions:detail", args=[petition.pk])).content.decode())
    assert "Tạm đình chỉ → Tạm đình chỉ" not in staff
    assert "Đã thụ lý → Tạm đình chỉ" in staff
    assert staff.count("→") == 2  # received → accepted, accepted → suspended; the note none
    client.logout()
    public = client.post(
        reverse("petitions:track"),
        {"reference": petition.reference, "code": submitted.tracking_code},
        follow=True,
    ).content.decode()
    public = _timeline(public)
    assert "Tạm đình chỉ → Tạm đình chỉ" not in public
    assert "Đã thụ lý → Tạm đình chỉ" in public


def test_the_staff_intake_form_speaks_to_staff_not_to_the_citizen(
    db, client, agency, handler
) -> None:
    client.force_login(handler)
    html = client.get(reverse("petitions:record")).content.decode()
    assert "nơi bạn cư trú" not in html
    assert "Chúng tôi sẽ báo" not in html
    form = RecordForm(agencies=Agency.objects.none())
    staff_hint = str(form.fields["handling_agency"].help_text)
    assert staff_hint
    assert staff_hint != str(SubmitForm().fields["handling_agency"].help_text)
    for name in ("handling_agency", "content", "email"):
        assert " you" not in f" {str(form.fields[name].help_text).lower()}", name
    # The citizen's form keeps its own words.
    assert "nơi bạn cư trú" in client.get(reverse("petitions:submit")).content.decode()
