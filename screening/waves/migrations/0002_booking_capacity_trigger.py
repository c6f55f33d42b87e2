"""The database's own guard of a session's seats: whatever writes a booking (the services, the shell, a bulk
insert), PostgreSQL refuses one more active booking than the session has seats. The trigger locks the session's
row, as the booking services do, so two inserts into the last seat take turns and the second is refused. It counts
what the services count (selectors.seat_holders): bookings not cancelled, of applications not withdrawn or
rejected (stage codes as stored; Application.Stage)."""

from django.db import migrations

FORWARD = """
CREATE FUNCTION waves_booking_capacity() RETURNS trigger AS $$
DECLARE
    seats integer;
    held integer;
BEGIN
    IF NEW.cancelled_at IS NOT NULL THEN
        RETURN NEW;
    END IF;
    SELECT capacity INTO seats FROM waves_session WHERE id = NEW.session_id FOR UPDATE;
    SELECT count(*) INTO held
      FROM waves_booking b JOIN screening_application a ON a.id = b.application_id
     WHERE b.session_id = NEW.session_id AND b.cancelled_at IS NULL AND b.id <> NEW.id
       AND a.stage NOT IN ('withdrawn', 'rejected');
    IF held >= seats THEN
        RAISE EXCEPTION 'session % has no free seat', NEW.session_id USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER waves_booking_capacity
BEFORE INSERT OR UPDATE OF session_id, cancelled_at ON waves_booking
FOR EACH ROW EXECUTE FUNCTION waves_booking_capacity();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS waves_booking_capacity ON waves_booking;
DROP FUNCTION IF EXISTS waves_booking_capacity();
"""


class Migration(migrations.Migration):
    dependencies = [("waves", "0001_initial")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
