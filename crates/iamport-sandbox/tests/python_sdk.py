"""Drives the iamport-sandbox binary with the official Python SDK (iamport-rest-client 0.9.0).

Usage: python3 python_sdk.py http://127.0.0.1:PORT
Checks: get-token, onetime with customer_uid, again, schedule, unschedule, customer get,
find by merchant_uid. Exits non-zero on the first failed check.
"""

import sys
import time

from iamport import Iamport

# The SDK's own default test credentials (iamport-rest-client-python, tests/conftest.py:
# DEFAULT_TEST_IMP_KEY / DEFAULT_TEST_IMP_SECRET, i'mport's published public test pair), written
# out here rather than taken from the sandbox, so that this check fails if the sandbox's copy of
# the pair is wrong. The sandbox accepts them with no option.
TEST_API_KEY = "imp_apikey"
TEST_API_SECRET = "ekKoeW8RyKuT0zgaZsUtXXTLQ4AhPFW3ZGseDA6bkA5lamv9OqDMnxyeB9wqOsuO9W3Mx9YSJ4dTqJ3f"


def main():
    base = sys.argv[1].rstrip("/") + "/"
    client = Iamport(imp_key=TEST_API_KEY, imp_secret=TEST_API_SECRET, imp_url=base)
    suffix = str(int(time.time() * 1000))
    customer_uid = "py_customer_" + suffix
    passed = 0

    def check(name, condition, detail=""):
        nonlocal passed
        if not condition:
            print("FAIL %s %s" % (name, detail))
            sys.exit(1)
        passed += 1
        print("ok   %s" % name)

    token = client._get_token()
    check("get-token", isinstance(token, str) and len(token) == 40, token)
    check("get-token returns the same token", client._get_token() == token)

    paid = client.pay_onetime(
        merchant_uid="py_onetime_" + suffix,
        amount=1000,
        card_number="4242-4242-4242-4242",
        expiry="2035-12",
        birth="900101",
        pwd_2digit="12",
        customer_uid=customer_uid,
        name="Sandbox plan",
        buyer_name="Hong Gildong",
        buyer_email="hong@example.com",
    )
    check("onetime with customer_uid", paid["status"] == "paid" and paid["customer_uid"] == customer_uid, paid)
    check("onetime masks the card", "******" in paid["card_number"], paid["card_number"])

    again = client.pay_again(
        customer_uid=customer_uid,
        merchant_uid="py_again_" + suffix,
        amount=1000,
        name="Sandbox plan, month 2",
    )
    check("again", again["status"] == "paid" and again["amount"] == 1000, again)

    declined = client.pay_again(
        customer_uid=customer_uid,
        merchant_uid="py_again_dup_" + suffix,
        amount=1000,
        name="Sandbox plan",
    )
    check("second again", declined["status"] == "paid")

    try:
        client.pay_again(customer_uid=customer_uid, merchant_uid="py_again_" + suffix, amount=1000, name="dup")
        check("duplicate merchant_uid refused", False)
    except Iamport.ResponseError as e:
        check("duplicate merchant_uid refused (code != 0)", e.code != 0, e.message)

    schedule_at = int(time.time()) + 3600
    scheduled = client.pay_schedule(
        customer_uid=customer_uid,
        schedules=[
            {"merchant_uid": "py_sched_1_" + suffix, "schedule_at": schedule_at, "amount": 1000, "name": "month 3"},
            {"merchant_uid": "py_sched_2_" + suffix, "schedule_at": schedule_at + 86400, "amount": 1000, "name": "month 4"},
        ],
    )
    check(
        "schedule",
        len(scheduled) == 2 and all(s["schedule_status"] == "scheduled" and s["payment_status"] is None for s in scheduled),
        scheduled,
    )

    looked_up = client.pay_schedule_get("py_sched_1_" + suffix)
    check("schedule look-up", looked_up["schedule_at"] == schedule_at, looked_up)

    between = client.pay_schedule_get_between(schedule_from=schedule_at - 10, schedule_to=schedule_at + 90000)
    check("schedule range look-up (paged)", between["total"] == 2 and len(between["list"]) == 2, between)

    revoked = client.pay_unschedule(customer_uid=customer_uid, merchant_uid=["py_sched_2_" + suffix])
    check("unschedule", len(revoked) == 1 and revoked[0]["schedule_status"] == "revoked", revoked)

    customer = client.customer_get(customer_uid)
    check(
        "customer get",
        customer["customer_uid"] == customer_uid and customer["customer_email"] == "hong@example.com",
        customer,
    )

    found = client.find(merchant_uid="py_again_" + suffix)
    check("find by merchant_uid", found["imp_uid"] == again["imp_uid"] and found["status"] == "paid", found)
    check("is_paid", client.is_paid(1000, merchant_uid="py_again_" + suffix))

    try:
        client.find(merchant_uid="py_missing_" + suffix)
        check("unknown merchant_uid is 404", False)
    except Iamport.HttpError as e:
        check("unknown merchant_uid is 404", e.code == 404, e.code)

    try:
        client.customer_get("py_missing_" + suffix)
        check("unknown customer_uid is 404", False)
    except Iamport.HttpError as e:
        check("unknown customer_uid is 404", e.code == 404, e.code)

    cancelled = client.cancel("changed my mind", imp_uid=paid["imp_uid"], amount=400, checksum=1000)
    check(
        "partial cancel",
        cancelled["cancel_amount"] == 400 and len(cancelled["cancel_history"]) == 1,
        cancelled,
    )

    print("%d passed, 0 failed" % passed)


if __name__ == "__main__":
    main()
