"""Corrections on the timeline (issue 12): the event types `entered_in_error` and `corrected` join the
choices and the database's check constraint `event_type_known`. They count in the version like any event, so
the version trigger of 0016 needs nothing new."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('coordination', '0017_i10t_texts_made_when_shown'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='event',
            name='event_type_known',
        ),
        migrations.AlterField(
            model_name='event',
            name='type',
            field=models.CharField(choices=[('admitted', 'Indlagt'), ('message', 'Besked'), ('message_read', 'Besked læst'), ('coordination_identified', 'Behov for yderligere koordinering'), ('discharge_planned', 'Udskrivning planlagt'), ('phone_agreement', 'Telefonaftale om udskrivning'), ('municipality_contacted', 'Kommunen har kontaktet hospitalet'), ('conference_planned', 'Planlægningskonference indkaldt'), ('conference_held', 'Planlægningskonference holdt'), ('faerdigbehandlet', 'Færdigbehandlet (MOF)'), ('treatment_resumed', 'Behandling genoptaget'), ('mof_disputed', 'MOF bestridt'), ('left_ward', 'Forlod afsnittet'), ('discharge_registered', 'Udskrivning registreret'), ('rehabilitation_started', 'Genoptræning startet'), ('transferred', 'Flyttet'), ('leave_started', 'Orlov begyndt'), ('leave_ended', 'Orlov sluttet'), ('citizen_changed', 'Borgerens forhold ændret'), ('entered_in_error', 'Markeret som fejlregistreret'), ('corrected', 'Rettet')], max_length=30, verbose_name='hændelse'),
        ),
        migrations.AddConstraint(
            model_name='event',
            constraint=models.CheckConstraint(condition=models.Q(('type__in', ('admitted', 'message', 'message_read', 'coordination_identified', 'discharge_planned', 'phone_agreement', 'municipality_contacted', 'conference_planned', 'conference_held', 'faerdigbehandlet', 'treatment_resumed', 'left_ward', 'discharge_registered', 'rehabilitation_started', 'mof_disputed', 'transferred', 'leave_started', 'leave_ended', 'citizen_changed', 'entered_in_error', 'corrected'))), name='event_type_known'),
        ),
    ]
