"""Harvesting other libraries over OAI-PMH 2.0 (ADR 0512): ``client`` speaks the protocol,
``records`` turns Dublin Core into the fields of a resource."""
