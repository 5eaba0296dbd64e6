package io.branchflow.api.crd;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsOrArray;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsOrBool;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What a new CRD changed, compared with a released one, that breaks users who upgrade: objects they
 * stored or manifests they apply that the released CRD accepted and the new one refuses, prunes or
 * reads differently. Modelled on the Flink Kubernetes operator's {@code CrdCompatibilityChecker},
 * which its build runs against the CRDs of past releases.
 *
 * <p>For every version the released CRD serves, its {@code openAPIV3Schema} is walked field by
 * field; each finding names the CRD's plural, the version and the path ({@code [*]} an array's
 * items, {@code .*} a map's values), e.g. {@code workflowrepositories v1alpha1 .spec.limits.ttl:
 * removed}. Breaking: a CRD, a served version or a property gone; a type changed; a property newly
 * required in an object that already existed; an enum added or one of its values removed;
 * int-or-string, {@code x-kubernetes-preserve-unknown-fields}, {@code nullable} or a map's values
 * dropped; a pattern or format added or changed (whether one regular expression accepts all another
 * did is not decidable here); a bound ({@code maxLength}, {@code minimum}, ...) added or tightened;
 * the scope or kind changed.
 *
 * <p>Allowed: anything added where nothing stood (properties, optional or required inside a new
 * object, versions, enum values), bounds loosened, descriptions, defaults and printer columns. New
 * {@code x-kubernetes-validations} (CEL) rules are allowed too: whether a rule refuses what was
 * accepted cannot be told from its text, so their review is the author's (and from Kubernetes 1.30
 * the API server's validation ratcheting lets unchanged fields of stored objects through).
 */
public final class CrdCompatibility {

  private CrdCompatibility() {}

  /** Findings for every released CRD against the current one of the same name. */
  public static List<String> breakingChanges(
      Collection<CustomResourceDefinition> released, Collection<CustomResourceDefinition> current) {
    Map<String, CustomResourceDefinition> byName =
        current.stream().collect(Collectors.toMap(crd -> crd.getMetadata().getName(), c -> c));
    List<String> findings = new ArrayList<>();
    for (CustomResourceDefinition old : released) {
      CustomResourceDefinition now = byName.get(old.getMetadata().getName());
      if (now == null) {
        findings.add(plural(old) + ": CRD removed");
      } else {
        findings.addAll(breakingChanges(old, now));
      }
    }
    return findings;
  }

  /** Findings for one CRD: {@code current} is the same CRD in a later release. */
  public static List<String> breakingChanges(
      CustomResourceDefinition released, CustomResourceDefinition current) {
    List<String> findings = new ArrayList<>();
    String plural = plural(released);
    if (!Objects.equals(released.getSpec().getScope(), current.getSpec().getScope())) {
      findings.add(
          plural
              + ": scope changed from "
              + released.getSpec().getScope()
              + " to "
              + current.getSpec().getScope());
    }
    if (!Objects.equals(
        released.getSpec().getNames().getKind(), current.getSpec().getNames().getKind())) {
      findings.add(plural + ": kind changed to " + current.getSpec().getNames().getKind());
    }
    for (CustomResourceDefinitionVersion old : released.getSpec().getVersions()) {
      if (!Boolean.TRUE.equals(old.getServed())) {
        continue;
      }
      String at = plural + " " + old.getName();
      CustomResourceDefinitionVersion now =
          current.getSpec().getVersions().stream()
              .filter(v -> v.getName().equals(old.getName()))
              .findFirst()
              .orElse(null);
      if (now == null) {
        findings.add(at + ": version removed");
      } else if (!Boolean.TRUE.equals(now.getServed())) {
        findings.add(at + ": version no longer served");
      } else {
        new Walk(at, findings).compare("", schema(old), schema(now));
      }
    }
    return findings;
  }

  private static String plural(CustomResourceDefinition crd) {
    return crd.getSpec().getNames().getPlural();
  }

  private static JSONSchemaProps schema(CustomResourceDefinitionVersion version) {
    return version.getSchema() == null || version.getSchema().getOpenAPIV3Schema() == null
        ? new JSONSchemaProps()
        : version.getSchema().getOpenAPIV3Schema();
  }

  /** One version's schema, old against new, adding findings prefixed with {@code at}. */
  private record Walk(String at, List<String> findings) {

    void compare(String path, JSONSchemaProps old, JSONSchemaProps now) {
      if (!compareType(path, old, now)) {
        return; // below a changed type every difference would repeat the same news
      }
      if (isTrue(old.getXKubernetesPreserveUnknownFields())
          && !isTrue(now.getXKubernetesPreserveUnknownFields())) {
        report(path, "x-kubernetes-preserve-unknown-fields dropped: unknown fields are pruned");
      }
      if (isTrue(old.getNullable()) && !isTrue(now.getNullable())) {
        report(path, "no longer nullable");
      }
      compareEnum(path, old.getEnum(), now.getEnum());
      compareText(path, "pattern", old.getPattern(), now.getPattern());
      compareText(path, "format", old.getFormat(), now.getFormat());
      compareBounds(path, old, now);
      compareRequired(path, old.getRequired(), now.getRequired());
      compareProperties(path, old, now);
      JSONSchemaProps oldItems = items(old.getItems());
      JSONSchemaProps newItems = items(now.getItems());
      if (oldItems != null && newItems != null) {
        compare(path + "[*]", oldItems, newItems);
      }
      compareMapValues(path, old, now);
    }

    /** False when the type changed, so that nothing below it is compared. */
    private boolean compareType(String path, JSONSchemaProps old, JSONSchemaProps now) {
      boolean oldIntOrString = isTrue(old.getXKubernetesIntOrString());
      boolean newIntOrString = isTrue(now.getXKubernetesIntOrString());
      if (oldIntOrString && !newIntOrString) {
        report(path, "int-or-string narrowed to " + typeName(now.getType()));
        return false;
      }
      if (!oldIntOrString && newIntOrString) {
        // an integer or a string field that now takes both accepts all it did
        if (old.getType() == null
            || old.getType().equals("integer")
            || old.getType().equals("string")) {
          return true;
        }
        report(path, "type changed from " + old.getType() + " to int-or-string");
        return false;
      }
      if (!Objects.equals(old.getType(), now.getType())) {
        report(
            path,
            "type changed from " + typeName(old.getType()) + " to " + typeName(now.getType()));
        return false;
      }
      return true;
    }

    private void compareEnum(String path, List<JsonNode> old, List<JsonNode> now) {
      if (now == null || now.isEmpty()) {
        return; // no enum any more accepts every value of the old one
      }
      if (old == null || old.isEmpty()) {
        report(path, "enum added: only " + texts(now) + " accepted");
        return;
      }
      for (JsonNode value : old) {
        if (!now.contains(value)) {
          report(path, "enum value " + value.asText() + " removed");
        }
      }
    }

    private void compareText(String path, String keyword, String old, String now) {
      if (now == null || now.equals(old)) {
        return;
      }
      report(path, keyword + (old == null ? " added: " : " changed to ") + now);
    }

    private void compareBounds(String path, JSONSchemaProps old, JSONSchemaProps now) {
      bound(path, "maxLength", old, now, JSONSchemaProps::getMaxLength, true);
      bound(path, "maxItems", old, now, JSONSchemaProps::getMaxItems, true);
      bound(path, "maxProperties", old, now, JSONSchemaProps::getMaxProperties, true);
      bound(path, "maximum", old, now, JSONSchemaProps::getMaximum, true);
      bound(path, "minLength", old, now, JSONSchemaProps::getMinLength, false);
      bound(path, "minItems", old, now, JSONSchemaProps::getMinItems, false);
      bound(path, "minProperties", old, now, JSONSchemaProps::getMinProperties, false);
      bound(path, "minimum", old, now, JSONSchemaProps::getMinimum, false);
    }

    /** An upper bound tightens when it falls, a lower one when it rises. */
    private void bound(
        String path,
        String keyword,
        JSONSchemaProps old,
        JSONSchemaProps now,
        Function<JSONSchemaProps, ? extends Number> bound,
        boolean upper) {
      Number before = bound.apply(old);
      Number after = bound.apply(now);
      if (after == null) {
        return;
      }
      if (before == null) {
        report(path, keyword + " added: " + after);
      } else if (upper
          ? after.doubleValue() < before.doubleValue()
          : after.doubleValue() > before.doubleValue()) {
        report(path, keyword + (upper ? " lowered to " : " raised to ") + after);
      }
    }

    /** Only objects that existed are compared: a new object's required fields break nothing. */
    private void compareRequired(String path, List<String> old, List<String> now) {
      Set<String> before = old == null ? Set.of() : Set.copyOf(old);
      for (String name : now == null ? List.<String>of() : now) {
        if (!before.contains(name)) {
          report(path + "." + name, "newly required");
        }
      }
    }

    private void compareProperties(String path, JSONSchemaProps old, JSONSchemaProps now) {
      Map<String, JSONSchemaProps> before = old.getProperties();
      Map<String, JSONSchemaProps> after =
          now.getProperties() == null ? Map.of() : now.getProperties();
      if (before == null) {
        return;
      }
      before.forEach(
          (name, property) -> {
            if (after.containsKey(name)) {
              compare(path + "." + name, property, after.get(name));
            } else {
              report(path + "." + name, "removed");
            }
          });
    }

    private void compareMapValues(String path, JSONSchemaProps old, JSONSchemaProps now) {
      JSONSchemaPropsOrBool before = old.getAdditionalProperties();
      if (before == null || before.getSchema() == null) {
        return;
      }
      JSONSchemaPropsOrBool after = now.getAdditionalProperties();
      if (after != null && after.getSchema() != null) {
        compare(path + ".*", before.getSchema(), after.getSchema());
      } else if ((after == null || !isTrue(after.getAllows()))
          && !isTrue(now.getXKubernetesPreserveUnknownFields())) {
        report(path, "additionalProperties removed: the map's entries are pruned");
      }
    }

    private void report(String path, String what) {
      findings.add(at + " " + (path.isEmpty() ? "." : path) + ": " + what);
    }
  }

  private static JSONSchemaProps items(JSONSchemaPropsOrArray items) {
    return items == null ? null : items.getSchema();
  }

  private static boolean isTrue(Boolean value) {
    return Boolean.TRUE.equals(value);
  }

  private static String typeName(String type) {
    return type == null ? "no type" : type;
  }

  private static String texts(List<JsonNode> values) {
    return values.stream().map(JsonNode::asText).collect(Collectors.joining(", "));
  }
}
