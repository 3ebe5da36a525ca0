"""Monitoring capability: plan a run from the stored epochs, execute it with the engine
(``gengbao.monitoring``), merge, summarise and store; delivered ministry patches."""
