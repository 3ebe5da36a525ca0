"""Assessment capability: yearly scorecards of regions from providers of facts (targets, tasks, …)."""
