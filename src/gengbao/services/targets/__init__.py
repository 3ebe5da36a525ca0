"""Targets capability: farmland and PBF targets and gap recovery, imported and checked against surveys."""
