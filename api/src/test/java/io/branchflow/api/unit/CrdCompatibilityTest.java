package io.branchflow.api.unit;

import static org.assertj.core.api.Assertions.assertThat;

import io.branchflow.api.crd.CrdCompatibility;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersionBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each rule of {@link CrdCompatibility} on a small released schema and its successor. */
class CrdCompatibilityTest {

  private static final String RELEASED =
      """
      type: object
      properties:
        spec:
          type: object
          required: [name]
          properties:
            name: {type: string, maxLength: 63}
            replicas: {type: integer, minimum: 1}
            port: {x-kubernetes-int-or-string: true}
            mode: {type: string, enum: [Fast, Safe]}
            labels: {type: object, maxProperties: 20, additionalProperties: {type: string}}
            extra: {type: object, x-kubernetes-preserve-unknown-fields: true}
            hosts: {type: array, items: {type: object, properties: {host: {type: string}}}}
            limits: {type: object, properties: {maxEnvironments: {type: integer}, ttl: {type: string}}}
      """;

  @Test
  void theSameSchemaIsCompatible() {
    assertThat(changes(RELEASED, RELEASED)).isEmpty();
  }

  @Test
  void additionsAndLooserRulesAreCompatible() {
    String later =
        RELEASED
            .replace("maxLength: 63", "maxLength: 253, description: longer now")
            .replace("minimum: 1", "minimum: 0")
            .replace("enum: [Fast, Safe]", "enum: [Fast, Safe, Thorough]")
            .replace(
                "host: {type: string}",
                "host: {type: string, x-kubernetes-validations: [{rule: \"self != ''\"}]},"
                    + " path: {type: string}")
            .replace(
                "ttl: {type: string}",
                "ttl: {type: string}, quota: {type: object, required: [cpu], properties: {cpu:"
                    + " {type: string}}}");

    assertThat(changes(RELEASED, later)).isEmpty();
  }

  @Test
  void aRemovedPropertyIsNamedByItsPath() {
    String later = RELEASED.replace(", ttl: {type: string}", "");

    assertThat(changes(RELEASED, later))
        .containsExactly("things v1alpha1 .spec.limits.ttl: removed");
  }

  @Test
  void aPropertyOfAnArraysItemsIsFoundToo() {
    String later = RELEASED.replace("host: {type: string}", "hostname: {type: string}");

    assertThat(changes(RELEASED, later))
        .containsExactly("things v1alpha1 .spec.hosts[*].host: removed");
  }

  @Test
  void aChangedTypeIsReportedOnceNotForEachFieldBelowIt() {
    String later =
        RELEASED
            .replace("replicas: {type: integer", "replicas: {type: string")
            .replace("hosts: {type: array", "hosts: {type: object");

    assertThat(changes(RELEASED, later))
        .containsExactly(
            "things v1alpha1 .spec.replicas: type changed from integer to string",
            "things v1alpha1 .spec.hosts: type changed from array to object");
  }

  @Test
  void aPropertyNewlyRequiredInAnObjectThatExistedBreaks() {
    String later =
        RELEASED
            .replace("required: [name]", "required: [name, replicas]")
            .replace(
                "limits: {type: object,", "limits: {type: object, required: [maxEnvironments],");

    assertThat(changes(RELEASED, later))
        .containsExactly(
            "things v1alpha1 .spec.replicas: newly required",
            "things v1alpha1 .spec.limits.maxEnvironments: newly required");
  }

  @Test
  void anEnumValueRemovedOrAnEnumOnAFreeStringBreaks() {
    String later =
        RELEASED
            .replace("enum: [Fast, Safe]", "enum: [Fast]")
            .replace("host: {type: string}", "host: {type: string, enum: [a, b]}");

    assertThat(changes(RELEASED, later))
        .containsExactly(
            "things v1alpha1 .spec.mode: enum value Safe removed",
            "things v1alpha1 .spec.hosts[*].host: enum added: only a, b accepted");
    assertThat(changes(RELEASED, RELEASED.replace(", enum: [Fast, Safe]", ""))).isEmpty();
  }

  @Test
  void intOrStringNarrowedToOneOfThemBreaksWhileWideningIsCompatible() {
    String narrowed = RELEASED.replace("x-kubernetes-int-or-string: true", "type: integer");
    String widened =
        RELEASED.replace(
            "replicas: {type: integer, minimum: 1}",
            "replicas: {x-kubernetes-int-or-string: true}");

    assertThat(changes(RELEASED, narrowed))
        .containsExactly("things v1alpha1 .spec.port: int-or-string narrowed to integer");
    assertThat(changes(RELEASED, widened)).isEmpty();
  }

  @Test
  void unknownFieldsNoLongerPreservedBreak() {
    String later = RELEASED.replace(", x-kubernetes-preserve-unknown-fields: true", "");

    assertThat(changes(RELEASED, later))
        .containsExactly(
            "things v1alpha1 .spec.extra: x-kubernetes-preserve-unknown-fields dropped: unknown"
                + " fields are pruned");
  }

  @Test
  void aMapsValuesAreComparedAndItsEntriesMustNotBePruned() {
    String typeChanged =
        RELEASED.replace(
            "additionalProperties: {type: string}", "additionalProperties: {type: integer}");
    String dropped = RELEASED.replace(", additionalProperties: {type: string}", "");

    assertThat(changes(RELEASED, typeChanged))
        .containsExactly("things v1alpha1 .spec.labels.*: type changed from string to integer");
    assertThat(changes(RELEASED, dropped))
        .containsExactly(
            "things v1alpha1 .spec.labels: additionalProperties removed: the map's entries are"
                + " pruned");
  }

  @Test
  void aPatternOrFormatAddedOrChangedBreaks() {
    String added =
        RELEASED.replace("host: {type: string}", "host: {type: string, pattern: '^[a-z]+$'}");
    String changed = added.replace("^[a-z]+$", "^[a-z0-9]+$");
    String formatted = RELEASED.replace("ttl: {type: string}", "ttl: {type: string, format: date}");

    assertThat(changes(RELEASED, added))
        .containsExactly("things v1alpha1 .spec.hosts[*].host: pattern added: ^[a-z]+$");
    assertThat(changes(added, changed))
        .containsExactly("things v1alpha1 .spec.hosts[*].host: pattern changed to ^[a-z0-9]+$");
    assertThat(changes(RELEASED, formatted))
        .containsExactly("things v1alpha1 .spec.limits.ttl: format added: date");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          maxLength: 63         | maxLength: 10        | .spec.name: maxLength lowered to 10
          minimum: 1            | minimum: 2           | .spec.replicas: minimum raised to 2.0
          type: integer, minimum: 1 | type: integer, minimum: 1, maximum: 9 | .spec.replicas: maximum added: 9.0
          type: array           | type: array, maxItems: 3 | .spec.hosts: maxItems added: 3
          type: array           | type: array, minItems: 1 | .spec.hosts: minItems added: 1
          maxProperties: 20     | maxProperties: 5     | .spec.labels: maxProperties lowered to 5
          maxProperties: 20     | maxProperties: 20, minProperties: 1 | .spec.labels: minProperties added: 1
          maxLength: 63         | maxLength: 63, minLength: 2 | .spec.name: minLength added: 2
          """)
  void aBoundAddedOrTightenedBreaks(String before, String after, String finding) {
    assertThat(changes(RELEASED, RELEASED.replace(before, after)))
        .containsExactly("things v1alpha1 " + finding);
  }

  @Test
  void aFieldNoLongerNullableBreaks() {
    String nullable =
        RELEASED.replace("ttl: {type: string}", "ttl: {type: string, nullable: true}");

    assertThat(changes(nullable, RELEASED))
        .containsExactly("things v1alpha1 .spec.limits.ttl: no longer nullable");
  }

  @Test
  void aServedVersionRemovedOrNoLongerServedBreaks() {
    CustomResourceDefinition released =
        crd(version("v1alpha1", true, RELEASED), version("v1beta1", true, RELEASED));

    assertThat(CrdCompatibility.breakingChanges(released, crd(version("v1beta1", true, RELEASED))))
        .containsExactly("things v1alpha1: version removed");
    assertThat(
            CrdCompatibility.breakingChanges(
                released,
                crd(version("v1alpha1", false, RELEASED), version("v1beta1", true, RELEASED))))
        .containsExactly("things v1alpha1: version no longer served");
  }

  @Test
  void aVersionTheReleaseDidNotServeMayGo() {
    CustomResourceDefinition released =
        crd(version("v1alpha1", false, RELEASED), version("v1beta1", true, RELEASED));

    assertThat(CrdCompatibility.breakingChanges(released, crd(version("v1beta1", true, RELEASED))))
        .isEmpty();
  }

  @Test
  void aRemovedCrdAChangedScopeOrKindBreak() {
    CustomResourceDefinition released = crd(version("v1alpha1", true, RELEASED));
    CustomResourceDefinition moved =
        new CustomResourceDefinitionBuilder(released)
            .editSpec()
            .withScope("Cluster")
            .editNames()
            .withKind("Gadget")
            .endNames()
            .endSpec()
            .build();

    assertThat(CrdCompatibility.breakingChanges(List.of(released), List.of()))
        .containsExactly("things: CRD removed");
    assertThat(CrdCompatibility.breakingChanges(released, moved))
        .containsExactly(
            "things: scope changed from Namespaced to Cluster", "things: kind changed to Gadget");
  }

  private static List<String> changes(String releasedSchema, String laterSchema) {
    return CrdCompatibility.breakingChanges(
        crd(version("v1alpha1", true, releasedSchema)),
        crd(version("v1alpha1", true, laterSchema)));
  }

  private static CustomResourceDefinition crd(CustomResourceDefinitionVersion... versions) {
    return new CustomResourceDefinitionBuilder()
        .withNewMetadata()
        .withName("things.example.io")
        .endMetadata()
        .withNewSpec()
        .withGroup("example.io")
        .withScope("Namespaced")
        .withNewNames()
        .withKind("Thing")
        .withPlural("things")
        .endNames()
        .withVersions(versions)
        .endSpec()
        .build();
  }

  private static CustomResourceDefinitionVersion version(
      String name, boolean served, String schema) {
    return new CustomResourceDefinitionVersionBuilder()
        .withName(name)
        .withServed(served)
        .withStorage(served)
        .withNewSchema()
        .withOpenAPIV3Schema(Serialization.unmarshal(schema, JSONSchemaProps.class))
        .endSchema()
        .build();
  }
}
