"""Page helpers shared by browser tests (no Django imports: usable against a running portal too)."""


def log_in_to_hr(page, url: str, username: str, password: str = "pw-for-tests-only"):
    """Open `url` (an HR page), which asks for the login first, and log in."""
    page.goto(url)
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.get_by_role("button", name="登录").click()
    # the login answers with a redirect to the page asked for: wait for it, or the caller reads the login page
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def log_in_to_admin(page, base: str, username: str = "boss", password: str = "pw-for-tests-only"):
    """Log in to Django's admin (superusers only) and wait until it has let the person in."""
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    page.wait_for_url(lambda url: "/admin/login/" not in url)


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
        number.fill("3")
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
    for area in page.locator("textarea:not([data-typing]):not([data-chat])").all():
        area.fill(GOOD_TEXT)


CHAT_REPLY = "亲，您好，非常抱歉让您久等了，我马上为您查询核实，请您放心，谢谢！"


def take_chat(widget, replies=(), *, timeout: float = 30_000):
    """Take one buyer chat: wait for each buyer message the server delivers, type one reply, press Enter; once
    the last message has its reply, press 完成对话. Returns the number of buyer messages answered."""
    start = widget.locator("[data-chat=start]")
    if start.is_visible():  # not started by the caller already
        start.click()
    log, box = widget.locator("[data-chat=log]"), widget.locator("[data-chat=input]")
    finish, done = widget.locator("[data-chat=finish]:visible"), widget.locator("[data-chat=done]")
    page = widget.page
    i = 0
    while not done.is_visible():
        log.locator(".chat-buyer").nth(i).wait_for(timeout=timeout)
        page.wait_for_function("el => !el.disabled", arg=box.element_handle(), timeout=timeout)
        box.press_sequentially(replies[i] if i < len(replies) else CHAT_REPLY, delay=5)
        box.press("Enter")
        log.locator(".chat-me").nth(i).wait_for(timeout=timeout)
        i += 1
        # the next buyer message, or the last one answered: the chat can be finished
        log.locator(".chat-buyer").nth(i).or_(finish).wait_for(timeout=timeout)
        if finish.is_visible():
            finish.click()
            done.wait_for(timeout=timeout)
        if i >= 10:
            raise AssertionError("the chat did not end after 10 messages")
    return i


def take_chats(page):
    """Every buyer chat the form shows."""
    for widget in page.locator("[data-chat-test]").all():
        take_chat(widget)


def take_typing_test(page, *, composition: bool = True, shot=None):
    """Type the passage the server hands out, as a person with a pinyin input method would."""
    widget = page.locator("[data-typing-test]")
    widget.locator("[data-typing=start]").click()
    passage = widget.locator("[data-typing=passage]")
    passage.wait_for(state="visible")
    text = passage.inner_text().strip()
    box = widget.locator("[data-typing=input]")
    box.click()
    head, rest = text[:2], text[2:]
    if composition:
        # the first characters through a real IME composition (pinyin first, then the committed 汉字)
        cdp = page.context.new_cdp_session(page)
        cdp.send("Input.imeSetComposition", {"text": "nin", "selectionStart": 3, "selectionEnd": 3})
        cdp.send("Input.imeSetComposition", {"text": "ninh", "selectionStart": 4, "selectionEnd": 4})
        cdp.send("Input.insertText", {"text": head})
    else:
        box.press_sequentially(head)
    half = len(rest) // 2
    box.press_sequentially(rest[:half], delay=60)
    if shot:
        shot(page.locator("[data-typing-test]"))
    box.press_sequentially(rest[half:], delay=60)  # ~4 s for a short passage
    widget.locator("[data-typing=finish]").click()
    result = widget.locator("[data-typing=result]")
    result.wait_for(state="visible")
    return text, result.inner_text()
