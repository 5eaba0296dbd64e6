package io.branchflow.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {

  private static final byte[] BODY =
      "{\"zen\":\"Keep it logically awesome.\"}".getBytes(StandardCharsets.UTF_8);

  @Test
  void matchesWhatOpensslComputes() {
    // printf '%s' '{"zen":"Keep it logically awesome."}' | openssl dgst -sha256 -hmac s3cret
    assertThat(WebhookSignature.sign(BODY, "s3cret"))
        .isEqualTo("sha256=" + OpenSsl.HMAC_OF_BODY_WITH_S3CRET);
    assertThat(WebhookSignature.verify(BODY, WebhookSignature.sign(BODY, "s3cret"), "s3cret"))
        .isTrue();
  }

  @Test
  void refusesEverythingElse() {
    String good = WebhookSignature.sign(BODY, "s3cret");
    assertThat(WebhookSignature.verify(BODY, good, "other")).isFalse();
    assertThat(WebhookSignature.verify("{}".getBytes(StandardCharsets.UTF_8), good, "s3cret"))
        .isFalse();
    assertThat(WebhookSignature.verify(BODY, good.replace("sha256=", "sha1="), "s3cret")).isFalse();
    assertThat(WebhookSignature.verify(BODY, good.substring(0, good.length() - 2), "s3cret"))
        .isFalse();
    assertThat(WebhookSignature.verify(BODY, "sha256=not-hex", "s3cret")).isFalse();
    assertThat(WebhookSignature.verify(BODY, null, "s3cret")).isFalse();
    assertThat(WebhookSignature.verify(BODY, good, "")).isFalse();
  }

  private static final class OpenSsl {
    static final String HMAC_OF_BODY_WITH_S3CRET = computed();

    private static String computed() {
      try {
        Process p =
            new ProcessBuilder("openssl", "dgst", "-sha256", "-hmac", "s3cret", "-r").start();
        p.getOutputStream().write(BODY);
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out.split(" ")[0].strip();
      } catch (Exception e) {
        throw new IllegalStateException("openssl is needed for this test", e);
      }
    }
  }
}
