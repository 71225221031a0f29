package io.berth.cli.ingress;

import java.nio.file.Path;

/** The application IngressOnDockerIT applies with kubectl. */
final class Manifests {
  private Manifests() {}

  /**
   * web: three busybox httpd pods answering "VERSION POD" (readiness by httpGet, no preStop);
   * echo: one WebSocket echo pod running the host's JDK with Berth's jars mounted into a busybox
   * image; Services for both; TLS Secrets for two hosts; one Ingress routing www by path (/ to
   * web, /ws to echo), a.* and b.* over TLS to web, and /ws for any other host to echo.
   */
  static String app(Path repo, SelfSignedCertificate a, SelfSignedCertificate b) {
    String jdk = Path.of(System.getProperty("java.home")).toAbsolutePath().toString();
    String jars = repo.resolve("cli/target/lib").toString();
    String classes = repo.resolve("cli/target/test-classes").toString();
    return """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          replicas: 3
          strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              terminationGracePeriodSeconds: 10
              containers:
              - name: web
                image: berth/busybox:test
                imagePullPolicy: Never
                # GET / is a file; POST /cgi-bin/post runs a script (busybox httpd's CGI).
                command: [sh, -c, 'mkdir -p /tmp/www/cgi-bin && echo "$VERSION $POD_NAME" > /tmp/www/index.html
                  && printf "#!/bin/sh\\necho Content-Type: text/plain\\necho\\necho posted $VERSION $POD_NAME\\n" > /tmp/www/cgi-bin/post
                  && chmod +x /tmp/www/cgi-bin/post && exec httpd -f -p 8080 -h /tmp/www']
                env:
                - {name: VERSION, value: v1}
                - name: POD_NAME
                  valueFrom: {fieldRef: {fieldPath: metadata.name}}
                ports: [{name: http, containerPort: 8080}]
                readinessProbe:
                  httpGet: {path: /, port: http}
                  periodSeconds: 1
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: web}
        spec:
          selector: {app: web}
          ports: [{name: http, port: 80, targetPort: http}]
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: echo}
        spec:
          replicas: 1
          selector: {matchLabels: {app: echo}}
          template:
            metadata: {labels: {app: echo}}
            spec:
              containers:
              - name: echo
                image: berth/busybox:test
                imagePullPolicy: Never
                command: [/jdk/bin/java, -Xmx64m, -XX:TieredStopAtLevel=1, -cp, '/berth/lib/*:/berth/classes',
                          io.berth.cli.testing.WebSocketEchoMain, '8080']
                env:
                - name: POD_NAME
                  valueFrom: {fieldRef: {fieldPath: metadata.name}}
                ports: [{name: ws, containerPort: 8080}]
                readinessProbe:
                  tcpSocket: {port: ws}
                  periodSeconds: 1
                volumeMounts:
                - {name: jdk, mountPath: /jdk, readOnly: true}
                - {name: lib, mountPath: /lib, readOnly: true}
                - {name: lib64, mountPath: /lib64, readOnly: true}
                - {name: jars, mountPath: /berth/lib, readOnly: true}
                - {name: classes, mountPath: /berth/classes, readOnly: true}
              volumes:
              - {name: jdk, hostPath: {path: '%s'}}
              - {name: lib, hostPath: {path: /lib}}
              - {name: lib64, hostPath: {path: /lib64}}
              - {name: jars, hostPath: {path: '%s'}}
              - {name: classes, hostPath: {path: '%s'}}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: echo}
        spec:
          selector: {app: echo}
          ports: [{port: 80, targetPort: ws}]
        ---
        %s
        ---
        %s
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: app}
        spec:
          ingressClassName: berth
          tls:
          - {hosts: [%s], secretName: a-tls}
          - {hosts: [%s], secretName: b-tls}
          rules:
          - host: www.example.test
            http:
              paths:
              - {path: /, pathType: Prefix, backend: {service: {name: web, port: {name: http}}}}
              - {path: /ws, pathType: Prefix, backend: {service: {name: echo, port: {number: 80}}}}
          - host: %s
            http:
              paths:
              - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
          - host: %s
            http:
              paths:
              - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
          - http:
              paths:
              - {path: /ws, pathType: Prefix, backend: {service: {name: echo, port: {number: 80}}}}
        """.formatted(jdk, jars, classes, a.secretYaml("a-tls"), b.secretYaml("b-tls"), a.host(), b.host(),
        a.host(), b.host());
  }
}
