"""The project's Celery app with beat sweeping every SWEEP_EVERY seconds instead of every minute.

    celery -A tests.runtime.faults.beat beat

The fault tests cannot wait for the minute-long schedule of config/settings; everything else, the sweep
task included, is the production configuration.
"""

import os

from config.celery_app import app

app.conf.beat_schedule = {
    "sweep-unscored": {"task": "screening.tasks.sweep_unscored", "schedule": float(os.environ["SWEEP_EVERY"])},
}
