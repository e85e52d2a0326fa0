#include "image_decoding.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <png.h>

static concord_pixels failure(const char *message) {
    concord_pixels pixels;
    memset(&pixels, 0, sizeof pixels);
    snprintf(pixels.error, sizeof pixels.error, "%s", message);
    return pixels;
}

/* ---------------------------------------------------------------- JPEG */

/* libjpeg reports errors by calling error_exit, which must not return: it jumps back to
   the decoder with the message kept here. */
typedef struct {
    struct jpeg_error_mgr base;
    jmp_buf escape;
    char message[JMSG_LENGTH_MAX];
} jpeg_failure;

static void jpeg_error_exit(j_common_ptr info) {
    jpeg_failure *failure = (jpeg_failure *)info->err;
    info->err->format_message(info, failure->message);
    longjmp(failure->escape, 1);
}

static void jpeg_warning(j_common_ptr info, int level) {
    if (level < 0) {
        /* A warning (corrupt or truncated data): fatal here. */
        jpeg_error_exit(info);
    }
}

concord_pixels concord_decode_jpeg(const uint8_t *data, size_t size, long max_pixels) {
    struct jpeg_decompress_struct info;
    jpeg_failure error;
    uint8_t *volatile rgb = NULL;
    JSAMPLE *volatile row = NULL;

    info.err = jpeg_std_error(&error.base);
    error.base.error_exit = jpeg_error_exit;
    error.base.emit_message = jpeg_warning;
    if (setjmp(error.escape)) {
        char message[sizeof error.message + 16];
        snprintf(message, sizeof message, "corrupt JPEG: %s", error.message);
        jpeg_destroy_decompress(&info);
        free(rgb);
        free(row);
        return failure(message);
    }
    jpeg_create_decompress(&info);
    jpeg_mem_src(&info, data, (unsigned long)size);
    jpeg_read_header(&info, TRUE);

    int cmyk = info.jpeg_color_space == JCS_CMYK || info.jpeg_color_space == JCS_YCCK;
    info.out_color_space = cmyk ? JCS_CMYK : JCS_RGB;
    jpeg_start_decompress(&info);

    long width = info.output_width, height = info.output_height;
    if (width <= 0 || height <= 0 || width * height > max_pixels) {
        jpeg_destroy_decompress(&info);
        return failure(width <= 0 || height <= 0 ? "the JPEG has no pixels" : "the image has too many pixels");
    }
    int components = info.output_components;
    rgb = malloc((size_t)width * (size_t)height * 3);
    row = malloc((size_t)width * (size_t)components);
    if (rgb == NULL || row == NULL) {
        jpeg_destroy_decompress(&info);
        free(rgb);
        free(row);
        return failure("out of memory");
    }
    /* Adobe writes CMYK inverted; the inks then combine by multiplication. */
    int inverted = info.saw_Adobe_marker;
    while (info.output_scanline < info.output_height) {
        long y = info.output_scanline;
        JSAMPROW rows[1] = {row};
        jpeg_read_scanlines(&info, rows, 1);
        uint8_t *out = rgb + (size_t)y * (size_t)width * 3;
        for (long x = 0; x < width; x++) {
            if (cmyk) {
                int c = row[4 * x], m = row[4 * x + 1], yellow = row[4 * x + 2], k = row[4 * x + 3];
                if (!inverted) {
                    c = 255 - c;
                    m = 255 - m;
                    yellow = 255 - yellow;
                    k = 255 - k;
                }
                out[3 * x] = (uint8_t)((c * k + 127) / 255);
                out[3 * x + 1] = (uint8_t)((m * k + 127) / 255);
                out[3 * x + 2] = (uint8_t)((yellow * k + 127) / 255);
            } else {
                out[3 * x] = row[3 * x];
                out[3 * x + 1] = row[3 * x + 1];
                out[3 * x + 2] = row[3 * x + 2];
            }
        }
    }
    jpeg_finish_decompress(&info);
    jpeg_destroy_decompress(&info);
    free(row);

    concord_pixels pixels;
    memset(&pixels, 0, sizeof pixels);
    pixels.rgb = rgb;
    pixels.width = (int)width;
    pixels.height = (int)height;
    return pixels;
}

/* ---------------------------------------------------------------- PNG */

concord_pixels concord_decode_png(const uint8_t *data, size_t size, long max_pixels) {
    png_image image;
    memset(&image, 0, sizeof image);
    image.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_memory(&image, data, size)) {
        char message[120];
        snprintf(message, sizeof message, "corrupt PNG: %s", image.message);
        png_image_free(&image);
        return failure(message);
    }
    if ((long)image.width * (long)image.height > max_pixels) {
        png_image_free(&image);
        return failure("the image has too many pixels");
    }
    /* libpng's simplified reader takes 16-bit samples for linear light and would apply a
       gamma curve on the way to 8 bits; they are read as they are and their top byte kept. */
    int wide = (image.format & PNG_FORMAT_FLAG_LINEAR) != 0;
    image.format = wide ? PNG_FORMAT_LINEAR_RGB : PNG_FORMAT_RGB;
    size_t bytes = PNG_IMAGE_SIZE(image);
    uint8_t *buffer = malloc(bytes);
    if (buffer == NULL) {
        png_image_free(&image);
        return failure("out of memory");
    }
    png_color black = {0, 0, 0};
    if (!png_image_finish_read(&image, &black, buffer, 0, NULL)) {
        char message[120];
        snprintf(message, sizeof message, "corrupt PNG: %s", image.message);
        free(buffer);
        png_image_free(&image);
        return failure(message);
    }
    uint8_t *rgb = buffer;
    if (wide) {
        size_t samples = (size_t)image.width * (size_t)image.height * 3;
        const uint16_t *wide_samples = (const uint16_t *)buffer;
        for (size_t i = 0; i < samples; i++) {
            rgb[i] = (uint8_t)(wide_samples[i] >> 8);
        }
    }
    concord_pixels pixels;
    memset(&pixels, 0, sizeof pixels);
    pixels.rgb = rgb;
    pixels.width = (int)image.width;
    pixels.height = (int)image.height;
    return pixels;
}

void concord_free_pixels(concord_pixels *pixels) {
    free(pixels->rgb);
    pixels->rgb = NULL;
}
