from django.core.management.base import BaseCommand, CommandError

from screening.seed import SeedError, load_fixtures


class Command(BaseCommand):
    help = "Load the checklists from fixtures/ (and the demo jobs); existing ones are kept unless --update."

    def add_arguments(self, parser):
        parser.add_argument("--update", action="store_true", help="overwrite checklists and jobs already present")
        parser.add_argument("--no-jobs", action="store_true", help="checklists only")

    def handle(self, *args, update, no_jobs, **options):
        try:
            counts = load_fixtures(update=update, jobs=not no_jobs)
        except SeedError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"checklists written: {counts['checklists']}, jobs written: {counts['jobs']}, "
            f"onboarding plans written: {counts['onboarding_plans']}"
        )
