"""The SIP dial-out allow-list (accounts.sip_dial_out): off by default, domains and number patterns,
and the edge cases a toll fraudster would try."""

import pytest

from accounts.models import Account
from accounts.sip_dial_out import DialOutRefused, check, is_allowed, parse_rules


def account(rules: str, enabled: bool = True) -> Account:
    return Account(name="a", sip_dial_out=enabled, sip_dial_out_allowed=rules)


def test_off_by_default_whatever_the_list_says():
    assert Account().sip_dial_out is False
    with pytest.raises(DialOutRefused) as refused:
        check(account("sip.example.com", enabled=False), "sip:bob@sip.example.com")
    assert refused.value.status == 400 and refused.value.code == 300
    assert "not enabled" in refused.value.message
    assert not is_allowed(None, "sip:bob@sip.example.com")


def test_enabled_with_an_empty_list_allows_nothing():
    assert not is_allowed(account(""), "sip:bob@sip.example.com")
    assert not is_allowed(account(""), "+15550100")


@pytest.mark.parametrize("destination, allowed", [
    ("sip:bob@sip.example.com", True),
    ("sips:bob@SIP.Example.COM:5061;transport=tls", True),   # case and port do not matter
    ("Bob <sip:bob@sip.example.com>", True),
    ("sip:sip.example.com", True),
    ("sip:bob@sip.example.com.evil.net", False),             # a suffix attack
    ("sip:bob@evilsip.example.com", False),
    ("sip:bob@example.com", False),
    ("sip:bob@a.trunk.example.net", True),                   # *.trunk.example.net
    ("sip:bob@x.y.trunk.example.net", True),
    ("sip:bob@trunk.example.net", False),                    # the wildcard is for subdomains only
    ("sip:bob@nottrunk.example.net", False),
    ("sip:bob@10.99.0.2:5090", True),                        # an IP address listed as a domain
    ("sip:bob@10.99.0.20", False),
    ("sip:bob@[2001:db8::1]:5060", True),
    ("sip:bob@sip.example.com@evil.net", False),
])
def test_domains(destination, allowed):
    rules = "sip.example.com\n*.trunk.example.net\n10.99.0.2\n[2001:db8::1]\n"
    assert is_allowed(account(rules), destination) is allowed


@pytest.mark.parametrize("destination, allowed", [
    ("+15550100", True),
    ("+1 (555) 010-0100", True),          # formatting characters are ignored
    ("+1.555.010.0100", True),
    ("+1555", True),                      # * is zero or more digits
    ("+15560100", False),
    ("15550100", False),                  # the + is part of the pattern
    ("+442071234567", True),              # +44XXXXXXXXXX: exactly ten more digits
    ("+4420712345678", False),
    ("+44207123456", False),
    ("+44207123456a", False),             # not a number at all
    ("+1555*", False),
    ("", False),
    ("sip:+15550100@gw.example.org", True),     # the gateway: numbers there follow the patterns
    ("sip:+15560100@gw.example.org", False),
    ("sip:+15550100@other.example.org", False),  # a number at an unlisted host is not a number rule's
])
def test_number_patterns(settings, destination, allowed):
    settings.SIP_CALLOUT_GATEWAY = "gw.example.org:5070"
    assert is_allowed(account("+1555*\n+44XXXXXXXXXX\n# a comment\n"), destination) is allowed


def test_numbers_need_a_gateway_only_when_given_as_sip_uris(settings):
    settings.SIP_CALLOUT_GATEWAY = ""
    assert is_allowed(account("+1555*"), "+15550100")
    assert not is_allowed(account("+1555*"), "sip:+15550100@gw.example.org")


@pytest.mark.parametrize("bad", ["*", "*.com.", "http://sip.example.com", "sip:bob@example.com", "+1-555*",
                                 "+15*55", "example", "-bad.example.com", "exa mple.com"])
def test_a_bad_rule_is_named_when_saved(bad):
    with pytest.raises(ValueError) as error:
        parse_rules(f"sip.example.com\n{bad}\n")
    assert bad.strip() in str(error.value)


@pytest.mark.django_db
def test_a_list_that_does_not_parse_is_refused_on_save_and_allows_nothing():
    from django.core.exceptions import ValidationError

    broken = Account.objects.create(name="b", sip_dial_out=True, sip_dial_out_allowed="sip.example.com\n*")
    with pytest.raises(ValidationError) as error:
        broken.full_clean()
    assert "sip_dial_out_allowed" in error.value.message_dict
    assert not is_allowed(broken, "sip:bob@sip.example.com")
