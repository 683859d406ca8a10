"""The rules of the academy, free of Flask, one package per area.

Each function takes a Session and leaves the commit to its caller. Areas depend one way,
from the area that reacts to the area that happened (tested in tests/domain/test_layering.py):

    accounts → xapi → curriculum → assignments → learning → drills → practice → certification → qc → kpi → tiers
    authoring (trainers' tools) may use any of the above; nothing imports authoring.
    xapi (the outbox of learning records) imports no area, so any area may record a statement.

`errors`, `audit`, `events`, `transaction_memo` and `people_statements` are shared by every area. An area that records something
publishes an event and never imports the areas that react; `reactions` says who reacts to what.
"""
