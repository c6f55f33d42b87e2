"""The load test's client side: answers built from the application form's own fields, a generated PDF résumé,
multipart bodies as a browser sends them, and a minimal browser (cookies + CSRF) over http.client."""

import http.client
import random
import re
import secrets
from datetime import date, timedelta
from http.cookies import SimpleCookie

TEXT_ANSWERS = [
    "您好，非常抱歉给您带来不便，我马上帮您核实订单和物流情况，尽快给您补发或者办理退款。",
    "先安抚顾客情绪，了解问题经过，按平台规则给出退换货方案，并跟进到问题解决。",
    "耐心倾听，复述确认顾客的问题，和仓库、物流同事一起处理，最后回访确认满意。",
]


def _field_value(field, rng: random.Random) -> list[str]:
    """Browser-style values (a list: checkboxes send several) for one form field, from its type alone."""
    from django import forms

    if isinstance(field, forms.BooleanField):
        return ["on"]  # consents: ticked
    if isinstance(field, forms.MultipleChoiceField):
        codes = [str(c) for c, _label in field.choices]
        return rng.sample(codes, rng.randrange(1, len(codes) + 1))
    if isinstance(field, forms.ChoiceField):
        return [rng.choice([str(c) for c, _label in field.choices if c != ""])]
    if isinstance(field, forms.DecimalField):
        high = min(float(field.max_value or 10), 10)
        return [f"{rng.uniform(float(field.min_value or 0), high):.1f}"]
    if isinstance(field, forms.DateField):  # the date of birth: 18 to 45 years old
        return [(date.today() - timedelta(days=rng.randrange(18 * 366, 45 * 365))).isoformat()]
    if isinstance(field, forms.CharField):
        long_text = isinstance(field.widget, forms.Textarea)
        return [rng.choice(TEXT_ANSWERS) if long_text else "电子商务"]
    raise SystemExit(f"bench/load_client.py does not know how to fill {type(field).__name__}: update _field_value")


def _row_values(name: str, field, rng: random.Random) -> list[tuple[str, str]]:
    """One filled row of a repeating-row field (screening/form_rows.py: work history, certificates), under the
    names the browser posts: a month an until-now box stands for is left blank and the box ticked."""
    today = date.today()
    inputs = field.widget.inputs
    untils = {i.until for i in inputs if i.kind == "until"}
    pairs = []
    for row_input in inputs:
        if row_input.kind == "select":
            value = rng.choice([str(code) for code, _label in row_input.choices if code])
        elif row_input.kind == "month":
            value = "" if row_input.name in untils else f"{today.year - rng.randrange(1, 6)}-{rng.randrange(1, 13):02d}"
        elif row_input.kind == "date":
            value = (today - timedelta(days=rng.randrange(30, 2000))).isoformat()
        else:
            value = "on"
        pairs.append((f"{name}-0-{row_input.name}", value))
    return pairs


class Payloads:
    """Distinct, valid applicants for one job's application form, built from the form's fields."""

    IDENTITY = ("name", "email", "phone")  # the only fields named here: who the applicant is

    def __init__(self, form, *, run: str, seed: int = 1):
        from django import forms

        self.fields = []
        for name, field in form.fields.items():
            if isinstance(field.widget, forms.HiddenInput):
                if field.required:  # e.g. the typing test's signed result: only a browser test can produce it
                    raise SystemExit(f"the job's form requires {name!r}, which a load test cannot fill")
                continue
            if name in self.IDENTITY or isinstance(field, forms.FileField):
                continue
            self.fields.append((name, field))
        self.hidden = [name for name, field in form.fields.items() if isinstance(field.widget, forms.HiddenInput)]
        self.file_fields = [name for name, field in form.fields.items() if isinstance(field, forms.FileField)]
        self.run = run
        self.rng = random.Random(seed)

    def email(self, i: int) -> str:
        return f"load{self.run}-{i}@load.example.com"

    def make(self, i: int) -> list[tuple[str, str]]:
        """Applicant number i (0 ≤ i < 10⁸) of this run: form fields as (name, value) pairs."""
        pairs = [("name", f"压测应聘者{i}"), ("email", self.email(i)), ("phone", f"137{i:08d}")]
        for name, field in self.fields:
            if hasattr(field.widget, "inputs"):  # a repeating-row field
                pairs += _row_values(name, field, self.rng)
                continue
            pairs += [(name, value) for value in _field_value(field, self.rng)]
        return pairs + [(name, "") for name in self.hidden]


def resume_pdf(title: str, lines: int = 40) -> bytes:
    """A small valid one-page PDF (catalog, page tree, page, font, text stream and a correct xref table)."""
    text = [f"({title}) Tj"] + [f"0 -16 Td (Line {n}: customer service experience, Taobao and JD shops) Tj"
                                for n in range(lines)]  # fmt: skip
    content = ("BT /F1 11 Tf 56 790 Td " + " ".join(text) + " ET").encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >>"
        b" /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return out


def file_part(name: str, applicant: int | None) -> tuple[str, str, str, bytes]:
    """The résumé input: a generated PDF for the applicant, or (None) left empty, as a browser sends it."""
    if applicant is None:
        return name, "", "application/octet-stream", b""
    return name, f"简历-{applicant}.pdf", "application/pdf", resume_pdf(f"Resume of applicant {applicant}")


def multipart(pairs, files) -> tuple[bytes, str]:
    """multipart/form-data as a browser sends the form (enctype="multipart/form-data"); a file input left
    empty is sent as a part with filename="" and no content, as browsers do."""
    boundary = "----loadbench" + secrets.token_hex(12)
    parts = []
    for name, value in pairs:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode() + value.encode())
    for name, filename, content_type, data in files:
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
        parts.append(f"{head}Content-Type: {content_type}\r\n\r\n".encode() + data)
    body = b"\r\n".join(parts) + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


_CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Browser:
    """One visitor: keeps its cookies (csrftoken, sessionid) like a browser; one keep-alive connection when the
    server allows it, a new one otherwise (http.client reconnects after Connection: close)."""

    def __init__(self, host: str, port: int, timeout: float = 30):
        self.origin = f"http://{host}:{port}"
        self.conn = http.client.HTTPConnection(host, port, timeout=timeout)
        self.cookies: dict[str, str] = {}
        self.csrf_token = ""
        self.retries = 0  # requests sent again after the server closed an idle keep-alive connection

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        headers = {"Host": self.origin.removeprefix("http://"), **(headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        reused = self.conn.sock is not None
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            data = response.read()
        except (BrokenPipeError, ConnectionResetError, http.client.RemoteDisconnected):
            self.conn.close()
            if not reused:
                raise
            # the server closed an idle keep-alive connection as the request left: like browsers, send it again
            # once on a new connection (counted and reported: a server that dies mid-request shows up here too)
            self.retries += 1
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            data = response.read()
        except (http.client.HTTPException, OSError):
            self.conn.close()  # start the next request on a fresh connection
            raise
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel.value and morsel["max-age"] != "0":
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
        return response, data

    def open_form(self, path: str) -> None:
        """GET the form once: the csrftoken cookie and the masked token of the page."""
        response, data = self.request("GET", path)
        match = _CSRF_INPUT.search(data.decode())
        if response.status != 200 or match is None or "csrftoken" not in self.cookies:
            raise RuntimeError(f"GET {path}: {response.status}, no CSRF token")
        self.csrf_token = match.group(1)

    def submit(self, path: str, pairs, files):
        body, content_type = multipart([("csrfmiddlewaretoken", self.csrf_token), *pairs], files)
        headers = {"Content-Type": content_type, "Origin": self.origin, "Referer": self.origin + path}
        return self.request("POST", path, body, headers)
