// libxml2 as the MIS bridge uses it. Debian builds libxml2 with ICU, and its encoding.h then includes
// <unicode/ucnv.h>, whose declarations clash with the ICU copy inside Foundation. Only a private
// struct of encoding.h needs ICU (pointers to UConverter, 16-bit UChar buffers), so the ICU header is
// skipped by its include guard and those two types are declared with the same size and shape.
#include <stdint.h>
#ifndef UCNV_H
#define UCNV_H
typedef struct UConverter UConverter;
typedef uint16_t UChar;
#endif

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlschemas.h>
#include <libxml/xmlerror.h>
