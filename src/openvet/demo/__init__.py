"""Deterministic demo data: one province, two cities, three colleges, about 3,250 people.

``plan`` builds the whole data set in memory from a fixed seed (pure, no database);
``seed`` writes it: the org tree through ``core.services.org_create``, the accounts and
their grants in bulk. Run it with ``openvet demo``.

Import from ``openvet.demo.plan`` and ``openvet.demo.seed``: this package is also a Django
app, whose package must not import models.
"""
