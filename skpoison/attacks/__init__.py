"""Poisoning attacks against clustering, as resamplers (``fit_resample``).

Injection attacks append rows (``sample_indices_ == -1``); perturbation and
label attacks alter rows in place. Every attack records ``poison_mask_``.
"""

from skpoison.attacks._blackbox import BlackBoxAttack
from skpoison.attacks._bridge import BridgeAttack
from skpoison.attacks._centroid_noise import CentroidNoiseAttack
from skpoison.attacks._gaussian_noise import GaussianNoiseAttack
from skpoison.attacks._gaussian_tail import GaussianTailOutlierAttack
from skpoison.attacks._label_flip import LabelFlipAttack
from skpoison.attacks._label_shuffle import LabelShuffleAttack
from skpoison.attacks._low_density import LowDensityOutlierAttack
from skpoison.attacks._marginal import MarginalOutlierAttack
from skpoison.attacks._mimicry import MimicryAttack
from skpoison.attacks._mixture_tail import MixtureTailOutlierAttack
from skpoison.attacks._subtle_outlier import SubtleOutlierAttack
from skpoison.attacks._uniform_outlier import UniformOutlierAttack

__all__: list[str] = [
    "BlackBoxAttack",
    "BridgeAttack",
    "CentroidNoiseAttack",
    "GaussianNoiseAttack",
    "GaussianTailOutlierAttack",
    "LabelFlipAttack",
    "LabelShuffleAttack",
    "LowDensityOutlierAttack",
    "MarginalOutlierAttack",
    "MimicryAttack",
    "MixtureTailOutlierAttack",
    "SubtleOutlierAttack",
    "UniformOutlierAttack",
]
