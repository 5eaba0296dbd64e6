package io.branchflow.operator.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SecretDataTest {

  // "ghp_token\n", as `kubectl create secret --from-file` stores a file that ends in a newline
  private static final Secret TOKEN =
      new SecretBuilder().withData(Map.of("token", "Z2hwX3Rva2VuCg==")).build();

  @Test
  void aKeyIsDecodedAsStoredAndTrimmedOnlyOnRequest() {
    assertThat(SecretData.value(TOKEN, "token")).contains("ghp_token\n");
    assertThat(SecretReader.trimmed(SecretData.value(TOKEN, "token"))).contains("ghp_token");
  }

  @Test
  void aMissingSecretOrKeyOrABlankValueIsEmpty() {
    assertThat(SecretData.value(null, "token")).isEmpty();
    assertThat(SecretData.value(new Secret(), "token")).isEmpty();
    assertThat(SecretData.value(TOKEN, "other")).isEmpty();
    assertThat(SecretReader.trimmed(Optional.of(" \n"))).isEmpty();
    assertThat(SecretData.decode(null)).isEmpty();
  }
}
