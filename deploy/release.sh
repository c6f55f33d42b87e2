#!/bin/sh
# The one-off release step (the "migrate" service in docker-compose.yml), run before web, workers and beat
# start; safe to run again (migrate also creates the staff roles). Demo jobs are not loaded: they would be open
# jobs on a public careers site.
set -eu
python manage.py migrate --noinput
python manage.py load_seed --no-jobs
