//! Real-browser tests: placeholder filled below.
