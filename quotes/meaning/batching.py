"""What every encoder runtime shares: the vector type and how texts are batched.

Its own module so that the torch encoder (:mod:`quotes.meaning.encoder`) and
the ONNX one (:mod:`quotes.meaning.onnx_encoder`) both use it without
importing each other.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

#: A batch of vectors, one row per text.
Matrix = npt.NDArray[np.float32]

#: Texts per batch when embedding in bulk.
DEFAULT_BATCH_SIZE = 64

#: Up to this many texts (queries, pole sentences) are encoded on one thread.
FEW_TEXTS = 8
