"""Deterministic demo data: one province, two cities, three colleges, about 3,250 people.

``plan`` builds the whole data set in memory from a fixed seed (pure, no database), with
``plan_records`` adding each account's student or staff record and a few status changes;
``seed`` writes it: the org tree through ``core.services.org_create``, the accounts and
their grants in bulk, then ``seed_records`` the records in bulk and the status changes
through the records and workflow services. Run it with ``openvet demo``.

Import from ``openvet.demo.plan`` and ``openvet.demo.seed``: this package is also a Django
app, whose package must not import models.
"""
