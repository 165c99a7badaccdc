"""``manage.py cnan <action>``: CNAN's own operations (demo world, accounts, checks)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from cnan.core import demo
from cnan.core.context import action_context


class Command(BaseCommand):
    help = (
        "CNAN operations: 'demo' builds the demo world; 'accounts' lists the demo accounts; "
        "'daily' queues the daily follow-up (task statuses, reminders)."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        build = sub.add_parser("demo", help="Build the demo world (skipped if it is already there).")
        build.add_argument("--dry-run", action="store_true", help="Build in a transaction, then roll back.")
        sub.add_parser("accounts", help="Print the demo accounts and their roles.")
        daily = sub.add_parser(
            "daily",
            help="Queue the daily follow-up of directives (statuses as dates pass, reminders); "
            "run once a day by deploy/cnan-daily.timer.",
        )
        daily.add_argument("--now", action="store_true", help="Run it here and now instead of queueing it.")
        daily.add_argument("--date", help="The day to run it for (YYYY-MM-DD; default: today).")

    def handle(self, *args, **options):
        action = options["action"]
        if action == "demo":
            self._demo(dry_run=options["dry_run"])
        elif action == "accounts":
            self._print_accounts()
        elif action == "daily":
            self._daily(now=options["now"], day=options["date"])

    def _daily(self, *, now: bool, day: str | None) -> None:
        import datetime as dt

        from cnan.core import daily

        if day:
            try:
                dt.date.fromisoformat(day)
            except ValueError as exc:
                raise CommandError(f"--date: {day!r} is not a date (YYYY-MM-DD).") from exc
        for job in daily.tasks():
            if now:
                with action_context(source="command"):
                    result = job.call(day)
                self.stdout.write(self.style.SUCCESS(f"{job.module_path}: done {result or ''}".rstrip()))
            else:
                queued = job.enqueue(day)
                self.stdout.write(self.style.SUCCESS(f"{job.module_path}: queued (task {queued.id})."))

    def _demo(self, *, dry_run: bool) -> None:
        if demo.already_loaded():
            self.stdout.write(self.style.WARNING("The demo world is already loaded; nothing was changed."))
            self._print_accounts()
            return
        world = demo.DemoWorld(log=lambda line: self.stdout.write(line))
        try:
            with action_context(source="command"), transaction.atomic():
                for builder in demo.builders():
                    self.stdout.write(f"… {builder.name}")
                    builder.build(world)
                if dry_run:
                    raise _DryRun
        except _DryRun:
            self.stdout.write(self.style.WARNING("Dry run: everything was rolled back."))
            return
        except Exception as exc:
            raise CommandError(f"The demo world could not be built; nothing was saved: {exc}") from exc
        self.stdout.write(self.style.SUCCESS("Demo world built."))
        self._print_accounts()

    def _print_accounts(self) -> None:
        rows = demo.account_lines()
        if not rows:
            return
        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING(f"Demo accounts (password: {demo.DEMO_PASSWORD})"))
        width = max(len(r[0]) for r in rows)
        for username, role, org in rows:
            self.stdout.write(f"  {username.ljust(width)}  {role} — {org}")
        self.stdout.write("  (system administrators enrol a TOTP authenticator app at their first sign-in)")


class _DryRun(Exception):
    pass
