package io.branchflow.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import java.util.Map;

/** Where environments are announced in Slack. */
public class SlackSettings {

  @Default("true")
  @JsonPropertyDescription("Whether to post and update a message per environment.")
  private Boolean enabled;

  @Required
  @JsonPropertyDescription("Channel ID (or name) to post to.")
  private String channel;

  @Required
  @JsonPropertyDescription("Secret key holding the Slack bot token (xoxb-...).")
  private SecretKeyRef tokenSecretRef;

  @JsonPropertyDescription("GitHub login to Slack user ID, to mention the pusher.")
  private Map<String, String> userMap;

  public Boolean getEnabled() {
    return enabled;
  }

  public void setEnabled(Boolean enabled) {
    this.enabled = enabled;
  }

  public String getChannel() {
    return channel;
  }

  public void setChannel(String channel) {
    this.channel = channel;
  }

  public SecretKeyRef getTokenSecretRef() {
    return tokenSecretRef;
  }

  public void setTokenSecretRef(SecretKeyRef tokenSecretRef) {
    this.tokenSecretRef = tokenSecretRef;
  }

  public Map<String, String> getUserMap() {
    return userMap;
  }

  public void setUserMap(Map<String, String> userMap) {
    this.userMap = userMap;
  }
}
