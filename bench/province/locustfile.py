"""A working day on a generated province (manage.py generate_province): 50 users of every level, 10 minutes.

    PROVINCE_ACCOUNTS="$(python bench/province/bench_pages.py --print-accounts)" \
        locust -f bench/province/locustfile.py --headless -u 50 -r 5 -t 10m --host http://127.0.0.1:8000

locust lives in its own virtual environment (see bench/README-load.md); this file needs only locust. Accounts
come from PROVINCE_ACCOUNTS (JSON {label: username}, printed by bench_pages.py --print-accounts); every account
has the generator's password (PROVINCE_PASSWORD, default the generator's default). Readers only: the province is
read far more than written, and the write path is exercised by bench/load and bench/faults.py.
"""

import json
import os
import random
import re

from locust import HttpUser, between, task
from locust.exception import StopUser

PASSWORD = os.environ.get("PROVINCE_PASSWORD", "Anjian#2026bench")
ACCOUNTS = json.loads(os.environ.get("PROVINCE_ACCOUNTS", "{}"))
SEARCH_WORDS = ("灭火器", "疏散", "脚手架", "储罐", "电气线路", "有限空间", "电梯", "消防", "静电", "锅炉")
STATUSES = ("registered", "rectifying", "reported")


class Reader(HttpUser):
    abstract = True
    wait_time = between(2, 8)  # a person reads a page before the next click
    label = ""

    def on_start(self):
        username = ACCOUNTS.get(self.label)
        if not username:
            raise StopUser()
        page = self.client.get("/login/", name="login page")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        r = self.client.post(
            "/login/",
            {
                "username": username,
                "password": PASSWORD,
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
            headers={"Referer": self.host + "/login/"},
            allow_redirects=False,
            name="login",
        )
        if r.status_code != 302:
            raise StopUser()  # wrong password: stop rather than trip the lockout
        self.hazard_ids = []
        self.next_link = None

    def _list(self, url, name):
        r = self.client.get(url, name=name)
        ids = re.findall(r'href="/hazards/(\d+)/"', r.text)
        if ids:
            self.hazard_ids = ids[:50]
        more = re.search(r'href="([^"]*cursor=[^"]+)"', r.text)
        self.next_link = more.group(1).replace("&amp;", "&") if more else None

    @task(5)
    def hazard_list(self):
        self._list("/hazards/", "hazard list")

    @task(4)
    def hazard_filters(self):
        self._list(f"/hazards/?status={random.choice(STATUSES)}&is_overdue=true", "hazard list (filters)")

    @task(2)
    def hazard_search(self):
        self._list(f"/hazards/?q={random.choice(SEARCH_WORDS)}", "hazard list (search)")

    @task(3)
    def next_page(self):
        if self.next_link:
            link = self.next_link if self.next_link.startswith("/") else "/hazards/" + self.next_link
            self._list(link, "hazard list (next page)")

    @task(5)
    def hazard_detail(self):
        if self.hazard_ids:
            self.client.get(f"/hazards/{random.choice(self.hazard_ids)}/", name="hazard detail")

    @task(2)
    def home(self):
        self.client.get("/", name="home", allow_redirects=False)

    @task(2)
    def enterprises(self):
        self.client.get("/registry/enterprises/", name="enterprise list")


class ProvinceOffice(Reader):
    weight, label = 2, "省安委办"

    @task(3)
    def dashboard(self):
        self.client.get("/dashboard/", name="dashboard")

    @task(2)
    def ledger(self):
        self.client.get("/hazards/ledger/", name="hazard ledger")


class CityOffice(ProvinceOffice):
    weight, label = 5, "市安委办"


class CountyOffice(ProvinceOffice):
    weight, label = 10, "县安委办"


class CountyInspector(Reader):
    weight, label = 10, "县应急局"

    @task(2)
    def ledger(self):
        self.client.get("/hazards/ledger/", name="hazard ledger")


class TownStaff(Reader):
    weight, label = 12, "镇街"


class GridWorker(Reader):
    weight, label = 8, "网格员"


class EnterpriseStaff(Reader):
    weight, label = 3, "企业"
