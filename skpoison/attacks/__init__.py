"""Poisoning attacks against clustering, as resamplers (``fit_resample``).

Injection attacks append rows (``sample_indices_ == -1``); perturbation and
label attacks alter rows in place. Every attack records ``poison_mask_``.
"""

__all__: list[str] = []
