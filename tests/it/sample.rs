//! The bundled sample case against its ground truth.
