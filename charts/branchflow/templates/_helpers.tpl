{{/* Names and labels shared by every object of the release. */}}
{{- define "branchflow.labels" -}}
app.kubernetes.io/part-of: branchflow
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "branchflow.operator.name" -}}branchflow-operator{{- end -}}
{{- define "branchflow.receiver.name" -}}branchflow-webhook-receiver{{- end -}}

{{- define "branchflow.operator.selector" -}}
app.kubernetes.io/name: {{ include "branchflow.operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "branchflow.receiver.selector" -}}
app.kubernetes.io/name: {{ include "branchflow.receiver.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "branchflow.image" -}}
{{- printf "%s:%s" .image.repository (default .root.Chart.AppVersion .image.tag) -}}
{{- end -}}

{{/* The ClusterRole the operator binds to itself in each environment namespace it creates. */}}
{{- define "branchflow.operator.environmentRole" -}}
{{ include "branchflow.operator.name" . }}-{{ .Release.Namespace }}-environment
{{- end -}}

{{/* The rules of a reviewed RBAC file (charts/branchflow/files/rbac), shared with the tests. */}}
{{- define "branchflow.rules" -}}
{{- $file := .root.Files.Get (printf "files/rbac/%s" .file) | fromYaml -}}
{{- toYaml (get $file "rules") -}}
{{- end -}}

{{/* Probes and the container hardening both Quarkus applications share. */}}
{{- define "branchflow.probes" -}}
startupProbe:
  httpGet: {path: /q/health/started, port: http}
  periodSeconds: 2
  failureThreshold: 60
livenessProbe:
  httpGet: {path: /q/health/live, port: http}
  periodSeconds: 10
readinessProbe:
  httpGet: {path: /q/health/ready, port: http}
  periodSeconds: 5
{{- end -}}

{{- define "branchflow.securityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
runAsNonRoot: true
capabilities: {drop: [ALL]}
seccompProfile: {type: RuntimeDefault}
{{- end -}}
