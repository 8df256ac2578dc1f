"""Rate limits count each client by the address the trusted proxies saw."""

import pytest


def statuses(api, forwarded_for, count=3):
    return [
        api.get(
            "/api/v1/topics/", HTTP_X_FORWARDED_FOR=xff, REMOTE_ADDR="203.0.113.9"
        ).status_code
        for xff in forwarded_for[:count]
    ]


@pytest.mark.django_db
def test_a_made_up_forwarded_for_header_does_not_dodge_the_limit(api, settings):
    settings.API_ANON_THROTTLE_RATE = "2/min"

    # No proxy is trusted: each request claims to come from somewhere new.
    result = statuses(api, ["198.51.100.1", "198.51.100.2", "198.51.100.3"])

    assert result == [200, 200, 429]


@pytest.mark.django_db
def test_behind_one_proxy_the_address_it_appended_is_counted(api, settings):
    settings.API_ANON_THROTTLE_RATE = "2/min"
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}

    # The client made up the first entry; the proxy appended the real one.
    same_client = ["10.0.0.1, 192.0.2.7", "10.0.0.2, 192.0.2.7", "192.0.2.7"]

    assert statuses(api, same_client) == [200, 200, 429]


@pytest.mark.django_db
def test_behind_one_proxy_two_clients_have_their_own_counts(api, settings):
    settings.API_ANON_THROTTLE_RATE = "1/min"
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}

    result = statuses(api, ["192.0.2.7", "10.0.0.1, 192.0.2.8"], count=2)

    assert result == [200, 200]
