"""Quality control: the spot-check checklist, recording spot checks against it, refresher suggestions by failed topic, the QC dashboard."""
