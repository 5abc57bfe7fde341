"""
Builds a real Django + DRF database for Gatehouse's import tests and prints a
JSON manifest of what is in it, and of what should and should not keep working
after `npx gatehouse importdjango`.

    /usr/bin/python3 build.py --database sqlite:////tmp/x/db.sqlite3 \
        --secret-key KEY [--old-secret-key OLD] [--time-zone UTC]

--database is sqlite:///ABSOLUTE/PATH (a new file) or postgres://user@host:port/name
(created here; it must not exist). Everything is made through Django itself:
make_password under each hasher, DRF's Token model, sessions from Django's test
Client, simplejwt's RefreshToken.for_user / blacklist(), default_token_generator.
Only the manifest goes to stdout.
"""
import argparse
import json
import os
import sys
import warnings
from datetime import timedelta
from urllib.parse import unquote, urlsplit

HERE = os.path.dirname(os.path.abspath(__file__))


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("--database", required=True)
    parser.add_argument("--secret-key", required=True)
    parser.add_argument("--old-secret-key", default="django-insecure-gatehouse-fixture-old-key")
    parser.add_argument("--time-zone", default="UTC")
    return parser.parse_args()


def create_database(url):
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        path = unquote(parts.path)
        if os.path.exists(path):
            sys.exit("build.py: %s exists; give a new file" % path)
        return
    import psycopg2

    name = unquote(parts.path.lstrip("/"))
    conn = psycopg2.connect(
        dbname="postgres",
        user=unquote(parts.username or "postgres"),
        password=unquote(parts.password or ""),
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
    )
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute('CREATE DATABASE "%s"' % name.replace('"', '""'))
    conn.close()


def available(module):
    try:
        __import__(module)
        return True
    except ImportError:
        return False


def main():
    args = parse_args()
    warnings.simplefilter("ignore")
    create_database(args.database)
    os.environ["GATEHOUSE_FIXTURE_DATABASE"] = args.database
    os.environ["GATEHOUSE_FIXTURE_SECRET_KEY"] = args.secret_key
    os.environ["GATEHOUSE_FIXTURE_TIME_ZONE"] = args.time_zone
    os.environ["DJANGO_SETTINGS_MODULE"] = "settings"
    sys.path.insert(0, HERE)
    sys.dont_write_bytecode = True  # keep the source tree clean of __pycache__

    import django

    django.setup()

    import rest_framework
    import rest_framework_simplejwt
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.tokens import default_token_generator
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import override_settings
    from django.utils import timezone
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode
    from rest_framework.authtoken.models import Token
    from rest_framework_simplejwt.tokens import RefreshToken

    call_command("migrate", verbosity=0, interactive=False)
    User = get_user_model()

    hashers = ["pbkdf2_sha256", "pbkdf2_sha1", "md5", "sha1", "unsalted_md5", "unsalted_sha1"]
    if available("argon2"):
        hashers.append("argon2")
    if available("bcrypt"):
        hashers += ["bcrypt_sha256", "bcrypt"]
    if available("crypt"):
        hashers.append("crypt")

    users = {}
    manifest_users = []

    def add_user(username, password, hasher="pbkdf2_sha256", login_works=True, **fields):
        user = User(username=username, email="%s@example.com" % username, **fields)
        if password is None:
            user.set_unusable_password()
        elif hasher == "empty":
            user.password = ""
        else:
            user.password = make_password(password, hasher=hasher)
        user.save()
        users[username] = user
        manifest_users.append(
            {
                "id": user.pk,
                "username": username,
                "email": user.email,
                "password": password,
                "hasher": hasher,
                "encoded": user.password,
                "isActive": user.is_active,
                "isStaff": user.is_staff,
                "isSuperuser": user.is_superuser,
                # After the import: Gatehouse refuses crypt, which Django 3.2 still accepts.
                "loginWorks": login_works,
                "djangoLoginWorks": login_works or hasher == "crypt",
            }
        )
        return user

    # One user per hasher; Gatehouse refuses crypt (DES crypt(3)), so that login must fail.
    for hasher in hashers:
        add_user("user_" + hasher, "pw-%s-Gatehouse" % hasher, hasher, login_works=hasher != "crypt")
    add_user("unusable", None, "unusable", login_works=False)
    add_user("empty", "", "empty", login_works=False)
    add_user("alice", "alice-Correct-Horse-1", is_staff=False)
    add_user("staff", "staff-Correct-Horse-1", is_staff=True)
    add_user("root", "root-Correct-Horse-1", is_staff=True, is_superuser=True)
    add_user("inactive", "inactive-Correct-Horse-1", is_active=False, login_works=False)
    add_user("zoë", "zoë-Pässwörd-1")
    add_user("bob", "bob-Correct-Horse-1")
    add_user("carol", "carol-Correct-Horse-1")
    add_user("dave", "dave-Correct-Horse-1")
    add_user("erin", "erin-Correct-Horse-1")

    # DRF tokens: an inactive user's key must answer 'User inactive or deleted.'.
    tokens = []
    for username in ["alice", "staff", "user_md5", "inactive"]:
        token = Token.objects.create(user=users[username])
        tokens.append({"key": token.key, "user": username, "works": username != "inactive"})

    sessions = []

    def session_of(client):
        return client.cookies["sessionid"].value

    def log_in(username, password=None):
        client = Client()
        if password is not None:
            # A real password login; only for PBKDF2 users, whose hash it leaves as it is.
            assert client.login(username=username, password=password)
        else:
            # force_login checks no password, so the stored hash is not upgraded.
            client.force_login(users[username])
        return session_of(client)

    sessions.append({"key": log_in("alice", "alice-Correct-Horse-1"), "user": "alice", "works": True, "why": "live"})
    sessions.append({"key": log_in("staff"), "user": "staff", "works": True, "why": "live"})
    sessions.append({"key": log_in("user_md5"), "user": "user_md5", "works": True, "why": "live"})
    sessions.append({"key": log_in("zoë"), "user": "zoë", "works": True, "why": "live"})

    # Stale: bob's password changed after he logged in, so the session's auth hash is old.
    stale = log_in("bob", "bob-Correct-Horse-1")
    bob = User.objects.get(pk=users["bob"].pk)
    bob.set_password("bob-New-Horse-2")
    bob.save()
    for entry in manifest_users:
        if entry["username"] == "bob":
            entry.update(password="bob-New-Horse-2", encoded=bob.password)
    sessions.append({"key": stale, "user": "bob", "works": False, "why": "stale"})

    # Expired: Django's expire_date is in the past.
    expired = log_in("carol", "carol-Correct-Horse-1")
    Session.objects.filter(session_key=expired).update(expire_date=timezone.now() - timedelta(minutes=1))
    sessions.append({"key": expired, "user": "carol", "works": False, "why": "expired"})

    # Signed (and auth-hashed) under the old SECRET_KEY: works only with it as a fallback key.
    with override_settings(SECRET_KEY=args.old_secret_key):
        old_key = log_in("dave", "dave-Correct-Horse-1")
    sessions.append({"key": old_key, "user": "dave", "works": True, "why": "old-key"})

    # Logged in, then deactivated: Django's ModelBackend.get_user no longer returns erin.
    deactivated = log_in("erin", "erin-Correct-Horse-1")
    User.objects.filter(pk=users["erin"].pk).update(is_active=False)
    for entry in manifest_users:
        if entry["username"] == "erin":
            entry.update(isActive=False, loginWorks=False, djangoLoginWorks=False)
    sessions.append({"key": deactivated, "user": "erin", "works": False, "why": "inactive"})

    # Anonymous: a session with data but nobody logged in.
    anonymous = SessionStore()
    anonymous["cart"] = [1, 2]
    anonymous.create()
    sessions.append({"key": anonymous.session_key, "user": None, "works": False, "why": "anonymous"})

    # simplejwt: one refresh token outstanding, one blacklisted (both in token_blacklist).
    live = RefreshToken.for_user(users["alice"])
    dead = RefreshToken.for_user(users["alice"])
    dead.blacklist()
    refresh_tokens = [
        {"token": str(live), "jti": live["jti"], "user": "alice", "works": True, "why": "outstanding"},
        {"token": str(dead), "jti": dead["jti"], "user": "alice", "works": False, "why": "blacklisted"},
    ]

    # Password reset links, minted after every login above (a login voids older links).
    def reset_link(username):
        user = User.objects.get(username=username)
        return {
            "user": username,
            "uid": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        }

    # last_login a day back, so the login below surely moves it to another second.
    User.objects.filter(username="staff").update(last_login=timezone.now() - timedelta(days=1))
    voided = reset_link("staff")
    # A later login moves last_login on, so that link is dead.
    sessions.append({"key": log_in("staff"), "user": "staff", "works": True, "why": "live"})
    password_resets = [
        dict(reset_link("alice"), works=True, why="fresh"),
        dict(voided, works=False, why="logged-in-since"),
    ]

    # Django's get_user flushes a stale session: check inside a transaction that is rolled back.
    from django.db import transaction

    with transaction.atomic():
        check_with_django(args, manifest_users, tokens, sessions, refresh_tokens, password_resets)
        transaction.set_rollback(True)

    manifest = {
        "versions": {
            "django": django.get_version(),
            "rest_framework": rest_framework.VERSION,
            "simplejwt": getattr(rest_framework_simplejwt, "__version__", None),
        },
        "database": args.database,
        "secretKey": args.secret_key,
        "oldSecretKey": args.old_secret_key,
        "timeZone": args.time_zone,
        "hashers": hashers,
        "users": manifest_users,
        "tokens": tokens,
        "sessions": sessions,
        "refreshTokens": refresh_tokens,
        "passwordResets": password_resets,
    }
    json.dump(manifest, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")


def check_with_django(args, users, tokens, sessions, refresh_tokens, password_resets):
    """Every "works" in the manifest is what Django itself answers (old-key: only under the old key)."""
    from django.contrib.auth import get_user, get_user_model
    from django.contrib.auth.hashers import check_password
    from django.contrib.auth.tokens import default_token_generator
    from django.contrib.sessions.backends.db import SessionStore
    from django.http import HttpRequest
    from django.test.utils import override_settings
    from rest_framework.exceptions import AuthenticationFailed
    from rest_framework.authentication import TokenAuthentication
    from rest_framework_simplejwt.exceptions import TokenError
    from rest_framework_simplejwt.tokens import RefreshToken

    User = get_user_model()

    def expect(what, actual, expected):
        if actual != expected:
            sys.exit("build.py: Django says %s is %r, the manifest %r" % (what, actual, expected))

    for entry in users:
        user = User.objects.get(username=entry["username"])
        # check_password without a setter never upgrades the stored hash.
        ok = entry["password"] is not None and check_password(entry["password"], user.password) and user.is_active
        expect("the login of " + entry["username"], bool(ok), entry["djangoLoginWorks"])

    for entry in tokens:
        try:
            TokenAuthentication().authenticate_credentials(entry["key"])
            ok = True
        except AuthenticationFailed:
            ok = False
        expect("token of " + entry["user"], ok, entry["works"])

    def session_user(key):
        request = HttpRequest()
        request.session = SessionStore(session_key=key)  # loads nothing once expire_date has passed
        user = get_user(request)
        return user.get_username() if user.is_authenticated else None

    for entry in sessions:
        name = "session %s (%s)" % (entry["key"], entry["why"])
        if entry["why"] == "old-key":
            expect(name + " under the new key", session_user(entry["key"]), None)
            with override_settings(SECRET_KEY=args.old_secret_key):
                expect(name + " under the old key", session_user(entry["key"]), entry["user"])
        else:
            expect(name, session_user(entry["key"]), entry["user"] if entry["works"] else None)

    for entry in refresh_tokens:
        try:
            RefreshToken(entry["token"]).check_blacklist()
            ok = True
        except TokenError:
            ok = False
        expect("refresh token " + entry["why"], ok, entry["works"])

    for entry in password_resets:
        user = User.objects.get(username=entry["user"])
        expect("reset link " + entry["why"], default_token_generator.check_token(user, entry["token"]), entry["works"])


if __name__ == "__main__":
    main()
