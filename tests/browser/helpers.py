"""Page helpers shared by browser tests (no Django imports: usable against a running portal too)."""

GOOD_TEXT = "您好，非常抱歉给您带来不便，我马上帮您核实查询物流，尽快为您补发或退款，谢谢您的耐心。"


def answer_everything(page):
    """Answer every question the form shows, the way a good candidate would."""
    page.fill("#id_name", "李小明")
    page.fill("#id_email", "xiaoming@example.com")
    page.fill("#id_phone", "138 0013 8000")
    if page.locator("#id_date_of_birth").count():
        page.fill("#id_date_of_birth", "1999-03-15")
    if page.locator("#id_education").count():
        page.select_option("#id_education", "bachelor")
    for number in page.locator("input[type=number]").all():
        number.fill("80" if number.get_attribute("name") == "typing_cpm" else "3")
    names = {r.get_attribute("name") for r in page.locator("input[type=radio]").all()}
    for name in sorted(names):
        radios = page.locator(f"input[type=radio][name={name}]")
        values = [r.get_attribute("value") for r in radios.all()]
        best = "5" if "5" in values else "yes" if "yes" in values else None
        page.check(
            f"input[type=radio][name={name}][value='{best}']" if best else f"input[type=radio][name={name}] >> nth=0"
        )
    for box in page.locator("input[type=checkbox]").all():
        box.check()
    for area in page.locator("textarea").all():
        area.fill(GOOD_TEXT)
