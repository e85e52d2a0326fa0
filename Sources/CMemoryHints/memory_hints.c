// The hints are inline functions in the header; a C target needs one source file.
#include "memory_hints.h"
