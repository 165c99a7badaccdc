"""The industry's target for the domestic share of the force's equipment (Directive 03/CT-BCA), which the
supply app's self-reliance dashboard measures: the indicator list of 0002 is loaded again."""

import importlib

from django.db import migrations

indicators = importlib.import_module("cnan.planning.migrations.0002_indicators")


class Migration(migrations.Migration):
    dependencies = [("planning", "0003_value_source_label")]

    operations = [migrations.RunPython(indicators.load, migrations.RunPython.noop)]
