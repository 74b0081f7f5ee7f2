{{/*
Names, labels and the shared pod pieces (env, volumes) of the worker and the
init job. Validation of required values lives in "quant.validate" so every
template fails the same way, naming the missing value.
*/}}

{{- define "quant.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "quant.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "quant.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "quant.selectorLabels" -}}
app.kubernetes.io/name: {{ include "quant.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "quant.labels" -}}
helm.sh/chart: {{ include "quant.chart" . }}
{{ include "quant.selectorLabels" . }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: quant-workflows
{{- end }}

{{- define "quant.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "quant.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* Fail early, naming the value, when the chart cannot work. */}}
{{- define "quant.validate" -}}
{{- $_ := required "image.repository is required: the worker image built from Dockerfile.arm64 (e.g. registry.lan:5000/quant-workflows)" .Values.image.repository }}
{{- $_ := required "image.tag is required: an immutable image tag, e.g. --set image.tag=$GITHUB_SHA" .Values.image.tag }}
{{- $_ := required "temporal.address is required: the Temporal frontend, e.g. temporal-frontend.temporal.svc.cluster.local:7233" .Values.temporal.address }}
{{- $_ := required "secrets.database.existingSecret is required: the name of the Secret holding DATABASE_URL" .Values.secrets.database.existingSecret }}
{{- $_ := required "secrets.database.urlKey is required: the key of DATABASE_URL inside secrets.database.existingSecret" .Values.secrets.database.urlKey }}
{{- if eq .Values.objectStore.kind "s3" }}
{{- $_ := required "objectStore.endpoint is required when objectStore.kind is s3 (e.g. http://minio.quant.svc.cluster.local:9000)" .Values.objectStore.endpoint }}
{{- $_ := required "secrets.objectStore.existingSecret is required when objectStore.kind is s3: the name of the Secret holding S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY" .Values.secrets.objectStore.existingSecret }}
{{- else if ne .Values.objectStore.kind "fs" }}
{{- fail (printf "objectStore.kind must be s3 or fs, got %q" .Values.objectStore.kind) }}
{{- end }}
{{- if eq .Values.config.broker.kind "alpaca" }}
{{- $_ := required "secrets.alpaca.existingSecret is required when config.broker.kind is alpaca: the name of the Secret holding ALPACA_API_KEY and ALPACA_SECRET_KEY" .Values.secrets.alpaca.existingSecret }}
{{- else if ne .Values.config.broker.kind "paper" }}
{{- fail (printf "config.broker.kind must be paper or alpaca, got %q" .Values.config.broker.kind) }}
{{- end }}
{{- end }}

{{/* Config as env: ConfigMap (non-secret) + secretKeyRefs (secret). */}}
{{- define "quant.env" -}}
envFrom:
  - configMapRef:
      name: {{ include "quant.fullname" . }}-config
env:
  - name: DATABASE_URL
    valueFrom:
      secretKeyRef:
        name: {{ .Values.secrets.database.existingSecret }}
        key: {{ .Values.secrets.database.urlKey }}
{{- if eq .Values.objectStore.kind "s3" }}
  - name: S3_ACCESS_KEY_ID
    valueFrom:
      secretKeyRef:
        name: {{ .Values.secrets.objectStore.existingSecret }}
        key: {{ .Values.secrets.objectStore.accessKeyIdKey }}
  - name: S3_SECRET_ACCESS_KEY
    valueFrom:
      secretKeyRef:
        name: {{ .Values.secrets.objectStore.existingSecret }}
        key: {{ .Values.secrets.objectStore.secretAccessKeyKey }}
{{- end }}
{{- with .Values.secrets.news.existingSecret }}
  - name: FINNHUB_API_KEY
    valueFrom:
      secretKeyRef:
        name: {{ . }}
        key: {{ $.Values.secrets.news.finnhubApiKeyKey }}
        optional: true
  - name: MARKETAUX_API_KEY
    valueFrom:
      secretKeyRef:
        name: {{ . }}
        key: {{ $.Values.secrets.news.marketauxApiKeyKey }}
        optional: true
{{- end }}
{{- with .Values.secrets.alerts.existingSecret }}
  - name: ALERT_WEBHOOK_URL
    valueFrom:
      secretKeyRef:
        name: {{ . }}
        key: {{ $.Values.secrets.alerts.webhookUrlKey }}
{{- end }}
{{- with .Values.secrets.polygon.existingSecret }}
  - name: POLYGON_API_KEY
    valueFrom:
      secretKeyRef:
        name: {{ . }}
        key: {{ $.Values.secrets.polygon.apiKeyKey }}
{{- end }}
{{- with .Values.secrets.mlflow.existingSecret }}
  - name: MLFLOW_TRACKING_TOKEN
    valueFrom:
      secretKeyRef:
        name: {{ . }}
        key: {{ $.Values.secrets.mlflow.tokenKey }}
        optional: true
  - name: MLFLOW_TRACKING_USERNAME
    valueFrom:
      secretKeyRef:
        name: {{ . }}
        key: {{ $.Values.secrets.mlflow.usernameKey }}
        optional: true
  - name: MLFLOW_TRACKING_PASSWORD
    valueFrom:
      secretKeyRef:
        name: {{ . }}
        key: {{ $.Values.secrets.mlflow.passwordKey }}
        optional: true
{{- end }}
  - name: POD_NAME
    valueFrom:
      fieldRef:
        fieldPath: metadata.name
{{- end }}

{{- define "quant.volumeMounts" -}}
- name: schedules
  mountPath: /etc/quant
  readOnly: true
- name: data
  mountPath: /data
- name: tmp
  mountPath: /tmp
{{- end }}

{{- define "quant.volumes" -}}
- name: schedules
  configMap:
    name: {{ include "quant.fullname" . }}-schedules
- name: data
  emptyDir:
    sizeLimit: 2Gi
- name: tmp
  emptyDir:
    sizeLimit: 512Mi
{{- end }}

{{- define "quant.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag }}
{{- end }}
