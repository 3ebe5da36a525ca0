"""Enforcement cases (卫片执法 and campaigns, DOMAIN.md §4–§5a), pure: states and the declared
transition table, the judgement dictionary, rectification progress and its invariants, closure rules,
case numbers and statistics definitions. Services persist; nothing here does I/O."""
