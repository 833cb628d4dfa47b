"""A working day of Anjian under load: locust users in the demo district's roles.

Run by bench/load/run_load.py and bench/faults.py against a private stack; by hand (the demo data loaded):

    locust -f bench/load/locustfile.py --headless -u 50 -r 5 -t 10m --host http://127.0.0.1:8000

Readers (office, inspector, town, grid, leader) sign in through the /login/ form (CSRF token from the page) and
browse: filtered lists, htmx list fragments, details, the hazard ledger, the dashboard, the home page and Excel
exports. Writers take a hazard through its whole way with the API (token from /api/auth/token/): the inspector
registers it at enterprise A, enterprise A sets the plan, starts and reports with a photo, the town accepts and
closes. Writes are never retried: a write that failed is abandoned, so no acknowledged action is sent twice.

Every acknowledged write is appended to LOAD_WRITE_LOG (JSON lines) for the verification in bench/faults.py.
Every failure is classified (see `classify`): a clean failure is an error page or a JSON error in Chinese without
a traceback; anything else (a traceback, an English server page, a 2xx with a traceback) is "unclean".
"""

import json
import os
import random
import re
import threading
import time
from datetime import date, timedelta

from locust import HttpUser, between, events, task
from locust.exception import StopUser

PASSWORD = os.environ.get("LOAD_PASSWORD", "Anjian@2026")
WRITE_LOG = os.environ.get("LOAD_WRITE_LOG", "")
ENTERPRISE_ID = int(os.environ.get("LOAD_ENTERPRISE_ID", "1"))  # enterprise A (qiye_a) in the demo data
SECTOR_ID = int(os.environ.get("LOAD_SECTOR_ID", "1"))  # 危险化学品: one of A's sectors, and the inspector's
CHINESE = re.compile(r"[\u4e00-\u9fff]")
TRACEBACK = re.compile(r"Traceback \(most recent call last\)|File \"/|django\.db\.utils\.|psycopg\.")
# 1x1 PNG: the smallest "photo after rectification" that passes the content check.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6300010000000500010d0a2db40000000049454e44ae426082"
)

_log_lock = threading.Lock()


def log_write(event: str, **fields) -> None:
    if not WRITE_LOG:
        return
    line = json.dumps({"t": round(time.time(), 3), "event": event, **fields}, ensure_ascii=False)
    with _log_lock, open(WRITE_LOG, "a", encoding="utf-8") as fh:
        fh.write(line + "\n")


def classify(response) -> str:
    """Name the kind of a failed (or suspicious) response; '' means a normal success."""
    if response.status_code == 0 or (response.error is not None and not response.status_code):
        return f"connection: {type(response.error).__name__}"
    body = response.text or ""
    if TRACEBACK.search(body):
        return f"unclean: HTTP {response.status_code} with a traceback"
    if response.status_code < 400:
        return ""
    if not CHINESE.search(body):
        return f"unclean: HTTP {response.status_code} without a Chinese message"
    return f"clean: HTTP {response.status_code}"


def check(response, expected=(200,)) -> bool:
    """Mark the response (inside catch_response) and say whether it is the expected success."""
    kind = classify(response)
    if response.status_code in expected and not kind:
        response.success()
        return True
    response.failure(kind or f"unexpected: HTTP {response.status_code}")
    return False


class RoleUser(HttpUser):
    abstract = True
    username = ""
    may_see_ledger = True  # hazards.view_ledger: office, inspector, town, leader
    may_export = True  # hazards.export_hazard: all but the grid member
    wait_time = between(1, 4)  # a person reading a page, not a script hammering it

    def on_start(self):
        self.signed_in = False
        self.hazard_ids: list[int] = []
        self.sign_in()

    def sign_in(self) -> bool:
        with self.client.get("/login/", name="login page", catch_response=True) as r:
            if not check(r):
                return False
        token = self.client.cookies.get("csrftoken", "")
        with self.client.post(
            "/login/",
            data={"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token, "next": "/"},
            headers={"Referer": self.host + "/login/"},
            name="login",
            catch_response=True,
            allow_redirects=False,
        ) as r:
            # A success redirects; a 200 is the form again (wrong password): never retry that, it would count
            # towards the per-address lockout.
            if r.status_code == 302:
                r.success()
                self.signed_in = True
            elif r.status_code == 200:
                r.failure("login refused (form shown again)")
                raise StopUser()
            else:
                check(r, expected=(302,))
        return self.signed_in

    def page(self, url, name, expected=(200,), **kwargs):
        if not self.signed_in and not self.sign_in():
            return None
        with self.client.get(url, name=name, catch_response=True, allow_redirects=False, **kwargs) as r:
            if r.status_code == 302 and "/login/" in r.headers.get("Location", ""):
                # The session has ended: sign in again before the next page.
                r.failure("signed out (redirect to login)")
                self.signed_in = False
                return None
            ok = check(r, expected)
        if (
            ok
            and "headers" not in kwargs
            and "export=" not in url
            and not url.startswith(("/api/", "/dashboard/map"))
        ):
            # A browser then asks for the navigation badge (to-do and unread counts) with htmx.
            with self.client.get(
                "/notifications/badge/",
                name="nav badge (htmx)",
                headers={"HX-Request": "true"},
                catch_response=True,
            ) as badge:
                check(badge)
        return r if ok else None

    def remember_hazards(self):
        r = self.page("/api/hazards/hazards/?open=true", "api hazard list (open)")
        if r is not None:
            self.hazard_ids = [row["id"] for row in r.json().get("results", [])][:30]

    # --- the reading mix ----------------------------------------------------------------------------------
    @task(3)
    def home(self):
        self.page("/", "home", expected=(200, 302))  # some roles land on their own page

    @task(6)
    def hazard_list_filtered(self):
        status = random.choice(["registered", "rectifying", "reported", "closed"])
        grade = random.choice(["", "general", "major"])
        self.page(f"/hazards/?status={status}&grade={grade}", "hazard list (filters)")

    @task(3)
    def hazard_list_htmx(self):
        self.page("/hazards/?open=true", "hazard list (htmx fragment)", headers={"HX-Request": "true"})

    @task(6)
    def hazard_detail(self):
        if not self.hazard_ids:
            self.remember_hazards()
        if self.hazard_ids:
            self.page(f"/hazards/{random.choice(self.hazard_ids)}/", "hazard detail")

    @task(2)
    def ledger(self):
        if self.may_see_ledger:
            self.page("/hazards/ledger/", "hazard ledger")

    @task(3)
    def enterprise_list(self):
        self.page(
            f"/registry/enterprises/?q={random.choice(['有限', '化工', '建'])}", "enterprise list (search)"
        )

    @task(2)
    def inspection_list(self):
        self.page("/inspections/", "inspection list")

    @task(1)
    def inbox(self):
        self.page("/notifications/", "notification inbox")

    @task(1)
    def export_hazards(self):
        if self.may_export:
            self.page("/hazards/?open=true&export=xlsx", "hazard export (xlsx)")


class Office(RoleUser):
    weight = 3
    username = "anweiban"

    @task(3)
    def dashboard(self):
        self.page("/dashboard/", "dashboard")

    @task(1)
    def export_enterprises(self):
        self.page("/registry/enterprises/?export=xlsx", "enterprise export (xlsx)")


class Inspector(RoleUser):
    weight = 3
    username = "yingji"


class Town(RoleUser):
    weight = 2
    username = "qingshi"


class Grid(RoleUser):
    weight = 1
    username = "wangge"
    may_see_ledger = False
    may_export = False


class Leader(RoleUser):
    weight = 1
    username = "leader"

    @task(6)
    def dashboard(self):
        self.page("/dashboard/", "dashboard")

    @task(2)
    def map_data(self):
        self.page("/dashboard/map/data.json", "dashboard map data")


class EnterpriseReader(RoleUser):
    weight = 1
    username = "qiye_a"
    may_see_ledger = False


class HazardWriter(HttpUser):
    """Registers a hazard and takes it through its transitions, with one API token per role involved."""

    weight = 2
    wait_time = between(2, 5)
    roles = {"inspector": "yingji", "enterprise": "qiye_a", "town": "qingshi"}

    def on_start(self):
        self.tokens: dict[str, str] = {}

    def token(self, role: str) -> str | None:
        if role in self.tokens:
            return self.tokens[role]
        with self.client.post(
            "/api/auth/token/",
            json={"username": self.roles[role], "password": PASSWORD},
            name="api token",
            catch_response=True,
        ) as r:
            if r.status_code == 400:
                r.failure("token refused (wrong password)")
                return None
            if not check(r):
                return None
            answer = r.json()
            self.tokens[role] = answer.get("key") or answer["token"]
        return self.tokens[role]

    def call(self, role, path, name, **kwargs):
        key = self.token(role)
        if key is None:
            return None
        headers = {"Authorization": f"Token {key}"}
        with self.client.post(path, name=name, headers=headers, catch_response=True, **kwargs) as r:
            if r.status_code == 401:  # token gone (e.g. revoked): fetch another next time
                self.tokens.pop(role, None)
            return r.json() if check(r, expected=(200, 201)) else None

    @task
    def hazard_lifecycle(self):
        today = date.today()
        created = self.call(
            "inspector",
            "/api/hazards/hazards/",
            "api register hazard",
            json={
                "enterprise": ENTERPRISE_ID,
                "sector": SECTOR_ID,
                "grade": "general",
                "description": f"负载测试：消防通道堆放杂物 {random.randint(0, 10**9)}",
                "location": "二号仓库",
                "deadline": (today + timedelta(days=15)).isoformat(),
            },
        )
        if created is None:
            return
        pk = created["id"]
        log_write("registered", id=pk, number=created["number"])
        steps = [
            (
                "enterprise",
                "set_plan",
                {
                    "json": {
                        "measures": "清理杂物，设置禁止堆放标识",
                        "responsible_person": "张三",
                        "deadline": (today + timedelta(days=10)).isoformat(),
                    }
                },
            ),
            ("enterprise", "start_rectification", {"json": {}}),
            (
                "enterprise",
                "report",
                {"data": {"note": "已清理完毕"}, "files": {"photos": ("after.png", PNG, "image/png")}},
            ),
            ("town", "accept", {"json": {"opinion": "复查合格"}}),
            ("town", "close", {"json": {"note": "同意销号"}}),
        ]
        for role, action, body in steps:
            time.sleep(random.uniform(0.5, 2))
            done = self.call(role, f"/api/hazards/hazards/{pk}/{action}/", f"api {action}", **body)
            if done is None:
                log_write("abandoned", id=pk, at=action)
                return
            log_write("transition", id=pk, action=action, status=done["status"])


@events.quitting.add_listener
def _exit_code(environment, **_kwargs):
    # The run script reads the CSV files; any unclean failure makes locust exit non-zero.
    unclean = [e for e in environment.stats.errors.values() if str(e.error).startswith("unclean")]
    if unclean:
        environment.process_exit_code = 1
