package io.churn.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 over every byte of the streams it wraps, in the order they are read: a dataset's
 * content digest. Streams are digested as stored (compressed files before decompression) and to
 * their end, even when the reader stops early, so a one-file dataset's digest is what
 * {@code sha256sum FILE} prints.
 */
final class ContentDigest {

    private final MessageDigest sha256;

    ContentDigest() {
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /** {@code raw}, digested as it is read; closing it digests what was left unread. */
    InputStream wrap(InputStream raw) {
        return new DigestInputStream(raw, sha256) {
            private boolean closed;

            @Override
            public void close() throws IOException {
                if (closed) return;
                closed = true;
                try {
                    transferTo(OutputStream.nullOutputStream());
                } finally {
                    super.close();
                }
            }
        };
    }

    /** Files opened through {@code source}, digested. */
    DataSource wrap(DataSource source) {
        return location -> wrap(source.open(location));
    }

    /** The digest of everything read, in hex; call it once, after the streams are closed. */
    String hex() {
        return HexFormat.of().formatHex(sha256.digest());
    }
}
