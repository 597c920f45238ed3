"""The projects the offline ``git`` and ``mvn`` create: the workshop's ``stock`` app and the
``maven-archetype-quickstart`` project.

``git clone`` of any URL gives the learner the finished ``stock`` service of the 12-factor
workshop (Spring Boot 1.3, ``com.altoros.shop:stock:1.0-SNAPSHOT``), laid out like the
original repository: the classes the chapters add (``StockSpringBootStarter``,
``StockResource`` with ``/stock/ping`` and ``/stock/factor7``, ``SecuredResource``,
``LogoutResource``, ``SecurityConfig``, the JPA model), ``application.yml``, ``logback.xml``,
the Flyway migration, the unit test and ``manifest.yml``. The sources are written here for
the mock from the facts of the course; nothing compiles them: ``mvn`` only reads the pom and
counts sources and tests, and ``java -jar`` serves the emulation in
:mod:`workshop.mock.router.stock`.
"""

from __future__ import annotations

from pathlib import Path

_POM = """\
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0"
         xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
         xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 http://maven.apache.org/xsd/maven-4.0.0.xsd">

    <modelVersion>4.0.0</modelVersion>

    <groupId>com.altoros.shop</groupId>
    <artifactId>stock</artifactId>
    <version>1.0-SNAPSHOT</version>

    <dependencies>
{deps}
    </dependencies>

    <build>
        <plugins>
            <plugin>
                <groupId>org.springframework.boot</groupId>
                <artifactId>spring-boot-maven-plugin</artifactId>
                <executions>
                    <execution>
                        <goals>
                            <goal>repackage</goal>
                        </goals>
                    </execution>
                </executions>
            </plugin>
        </plugins>
    </build>
</project>
"""

# (groupId, artifactId, version, scope) as the course lists them, in the order the chapters add them.
DEPENDENCIES = [
    ("org.springframework.boot", "spring-boot-starter-web", "1.3.0.RELEASE", None),
    ("mysql", "mysql-connector-java", "5.1.37", None),
    ("org.springframework.boot", "spring-boot-starter-data-jpa", "1.3.1.RELEASE", None),
    ("org.springframework.boot", "spring-boot-starter-actuator", "1.3.1.RELEASE", None),
    ("org.flywaydb", "flyway-core", "3.2.1", None),
    ("org.springframework.boot", "spring-boot-starter-security", "1.3.1.RELEASE", None),
    ("org.springframework.session", "spring-session-data-redis", "1.0.2.RELEASE", None),
    ("org.slf4j", "jcl-over-slf4j", "1.7.13", None),
    ("ch.qos.logback", "logback-classic", "1.1.3", None),
    ("junit", "junit", "4.12", "test"),
    ("org.springframework", "spring-test", "4.2.3.RELEASE", "test"),
    ("org.mockito", "mockito-core", "1.10.19", "test"),
]


def _pom() -> str:
    blocks = []
    for group, artifact, version, scope in DEPENDENCIES:
        lines = [
            "        <dependency>",
            f"            <groupId>{group}</groupId>",
            f"            <artifactId>{artifact}</artifactId>",
            f"            <version>{version}</version>",
        ]
        if scope:
            lines.append(f"            <scope>{scope}</scope>")
        lines.append("        </dependency>")
        blocks.append("\n".join(lines))
    return _POM.replace("{deps}", "\n".join(blocks))


_PKG = "src/main/java/com/altoros/stock"

STOCK_FILES: dict[str, str] = {
    ".gitignore": "target/\n*.iml\n.idea/\n",
    "manifest.yml": """\
---
applications:
  - name: workshop-12f-stock
    path: target/stock-1.0-SNAPSHOT.jar
    buildpack: https://github.com/cloudfoundry/java-buildpack.git
    memory: 512M
    services:
      - mysql
      - redis
""",
    f"{_PKG}/resources/StockSpringBootStarter.java": """\
package com.altoros.stock.resources;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.data.jpa.repository.config.EnableJpaRepositories;
import org.springframework.boot.orm.jpa.EntityScan;
import org.springframework.session.data.redis.config.annotation.web.http.EnableRedisHttpSession;

/** Starts the stock service (Factor II); HTTP sessions live in Redis (Factor VI). */
@SpringBootApplication
@EnableRedisHttpSession
@EntityScan("com.altoros.stock.domain.model")
@EnableJpaRepositories("com.altoros.stock.domain.model")
public class StockSpringBootStarter {

    public static void main(String[] args) {
        SpringApplication.run(StockSpringBootStarter.class, args);
    }
}
""",
    f"{_PKG}/resources/StockResource.java": """\
package com.altoros.stock.resources;

import com.altoros.stock.domain.model.StockItem;
import com.altoros.stock.domain.model.StockItemRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.*;

import javax.servlet.http.HttpServletResponse;

/** The /stock REST resource: ping (Factor III), CRUD (Factor IV), factor7 (Factor VII). */
@RestController
@RequestMapping(value = "/stock", produces = MediaType.APPLICATION_JSON_VALUE)
public class StockResource {

    private static final Logger LOGGER = LoggerFactory.getLogger(StockResource.class);

    @Autowired
    private Environment environment;

    @Autowired
    private StockItemRepository repository;

    @RequestMapping(value = "/ping", method = RequestMethod.GET)
    public String ping() {
        return "Ping " + environment.getProperty("environment.variable");
    }

    @RequestMapping(value = "/factor7", method = RequestMethod.GET, produces = MediaType.TEXT_PLAIN_VALUE)
    public String factor7() {
        return " From ip " + System.getenv("CF_INSTANCE_IP")
                + " and ports " + System.getenv("CF_INSTANCE_PORTS");
    }

    @RequestMapping(method = RequestMethod.GET)
    public Iterable<StockItem> items() {
        return repository.findAll();
    }

    @RequestMapping(value = "/{id}", method = RequestMethod.GET)
    public StockItem item(@PathVariable("id") Long id, HttpServletResponse response) {
        LOGGER.info("!!!!!! Starting search of stock item(id={}) search", id);
        StockItem found = repository.findOne(id);
        LOGGER.info("!!!!!! Finishing search of stock item(id={}) search", id);
        if (found == null) {
            response.setStatus(HttpStatus.NOT_FOUND.value());
        }
        return found;
    }

    @RequestMapping(method = RequestMethod.POST)
    public StockItem add(@RequestBody StockItem item, HttpServletResponse response) {
        response.setStatus(HttpStatus.CREATED.value());
        return repository.save(item);
    }

    @RequestMapping(method = RequestMethod.PUT)
    public StockItem update(@RequestBody StockItem item, HttpServletResponse response) {
        if (item.getId() == null || !repository.exists(item.getId())) {
            response.setStatus(HttpStatus.NOT_FOUND.value());
            return item;
        }
        return repository.save(item);
    }

    @RequestMapping(value = "/{id}", method = RequestMethod.DELETE)
    public void remove(@PathVariable("id") Long id, HttpServletResponse response) {
        if (!repository.exists(id)) {
            response.setStatus(HttpStatus.NOT_FOUND.value());
            return;
        }
        repository.delete(id);
    }
}
""",
    f"{_PKG}/resources/SecuredResource.java": """\
package com.altoros.stock.resources;

import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

import java.security.Principal;

/** Endpoints behind HTTP Basic authentication (Factor VI). */
@RestController
@RequestMapping("/secured")
public class SecuredResource {

    @RequestMapping(value = "/user", method = RequestMethod.GET)
    public String user(Principal principal) {
        return "Hello " + principal.getName() + "!";
    }

    @RequestMapping(value = "/admin", method = RequestMethod.GET)
    public String admin(Principal principal) {
        return "Hello " + principal.getName() + "!";
    }
}
""",
    f"{_PKG}/resources/LogoutResource.java": """\
package com.altoros.stock.resources;

import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import javax.servlet.http.HttpSession;

/** Ends the caller's HTTP session (Factor VI). */
@RestController
public class LogoutResource {

    @RequestMapping("/logout")
    public String logout(HttpSession session) {
        session.invalidate();
        return "Logout done!";
    }
}
""",
    f"{_PKG}/resources/SecurityConfig.java": """\
package com.altoros.stock.resources;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.authentication.builders.AuthenticationManagerBuilder;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.annotation.web.configuration.WebSecurityConfigurerAdapter;
import org.springframework.security.web.savedrequest.NullRequestCache;

/** In-memory users and HTTP Basic for /secured/** (Factor VI). */
@Configuration
@EnableWebSecurity
public class SecurityConfig extends WebSecurityConfigurerAdapter {

    @Autowired
    public void configureGlobal(AuthenticationManagerBuilder auth) throws Exception {
        auth.inMemoryAuthentication()
                .withUser("admin").password("admin_pass").roles("ADMIN", "USER").and()
                .withUser("user").password("user_pass").roles("USER");
    }

    @Override
    protected void configure(HttpSecurity http) throws Exception {
        http.authorizeRequests()
                .antMatchers("/secured/admin").hasRole("ADMIN")
                .antMatchers("/secured/**").authenticated()
                .anyRequest().permitAll()
                .and().requestCache().requestCache(new NullRequestCache())
                .and().httpBasic()
                .and().csrf().disable();
    }
}
""",
    f"{_PKG}/domain/model/ItemType.java": """\
package com.altoros.stock.domain.model;

/** What kind of thing a stock item is. */
public enum ItemType {
    UNKNOWN, ELECTRONICS, CD
}
""",
    f"{_PKG}/domain/model/StockItem.java": """\
package com.altoros.stock.domain.model;

import javax.persistence.*;

/** One row of the stock_item table (Factor IV). */
@Entity
@Table(name = "stock_item")
public class StockItem {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Enumerated(EnumType.STRING)
    private ItemType type;

    private String title;

    private String description;

    public Long getId() { return id; }
    public void setId(Long id) { this.id = id; }
    public ItemType getType() { return type; }
    public void setType(ItemType type) { this.type = type; }
    public String getTitle() { return title; }
    public void setTitle(String title) { this.title = title; }
    public String getDescription() { return description; }
    public void setDescription(String description) { this.description = description; }
}
""",
    f"{_PKG}/domain/model/StockItemRepository.java": """\
package com.altoros.stock.domain.model;

import org.springframework.data.repository.CrudRepository;

import java.util.List;

/** Spring Data repository of stock items. */
public interface StockItemRepository extends CrudRepository<StockItem, Long> {

    List<StockItem> findByType(ItemType type);
}
""",
    "src/main/resources/application.yml": """\
spring:
  datasource:
    url: ${cloud.services.mysql.connection.jdbcurl:jdbc:mysql://localhost/workshop_stock}
    username: ${cloud.services.mysql.connection.username:root}
    password: ${cloud.services.mysql.connection.password:root}
  jpa:
    database-platform: org.hibernate.dialect.MySQLDialect
    show_sql: true
    hibernate:
      ddl-auto: none
""",
    "src/main/resources/logback.xml": """\
<?xml version="1.0" encoding="UTF-8"?>
<configuration>
    <appender name="STDOUT" class="ch.qos.logback.core.ConsoleAppender">
        <encoder>
            <pattern>%d{yyyy-MM-dd HH:mm:ss} %-5level %logger{36} - %msg%n</pattern>
        </encoder>
    </appender>

    <logger name="com.altoros.stock" level="info"/>

    <root level="error">
        <appender-ref ref="STDOUT"/>
    </root>
</configuration>
""",
    "src/main/resources/db/migration/V1.0.0__create_stock_table.sql": """\
CREATE TABLE stock_item (
  id          BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
  type        VARCHAR(45),
  title       VARCHAR(45),
  description VARCHAR(1000)
);
""",
    "src/test/java/com/altoros/stock/resources/StockResourceUnitTest.java": """\
package com.altoros.stock.resources;

import org.junit.Before;
import org.junit.Test;
import org.mockito.InjectMocks;
import org.mockito.Mock;
import org.mockito.MockitoAnnotations;
import org.springframework.core.env.Environment;
import org.springframework.test.web.servlet.MockMvc;

import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;
import static org.springframework.test.web.servlet.setup.MockMvcBuilders.standaloneSetup;

/** /stock/ping answers with the environment's property. */
public class StockResourceUnitTest {

    @Mock
    private Environment environment;

    @InjectMocks
    private StockResource resource;

    private MockMvc mvc;

    @Before
    public void setUp() {
        MockitoAnnotations.initMocks(this);
        mvc = standaloneSetup(resource).build();
    }

    @Test
    public void pingAnswersWithTheEnvironmentVariable() throws Exception {
        when(environment.getProperty("environment.variable")).thenReturn("test");
        mvc.perform(get("/stock/ping"))
                .andExpect(status().isOk())
                .andExpect(content().string("Ping test"));
    }
}
""",
}
STOCK_FILES["pom.xml"] = _pom()

QUICKSTART_POM = """\
<project xmlns="http://maven.apache.org/POM/4.0.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 http://maven.apache.org/maven-v4_0_0.xsd">
  <modelVersion>4.0.0</modelVersion>
  <groupId>{group}</groupId>
  <artifactId>{artifact}</artifactId>
  <packaging>jar</packaging>
  <version>{version}</version>
  <name>{artifact}</name>
  <url>http://maven.apache.org</url>
  <dependencies>
    <dependency>
      <groupId>junit</groupId>
      <artifactId>junit</artifactId>
      <version>3.8.1</version>
      <scope>test</scope>
    </dependency>
  </dependencies>
</project>
"""

QUICKSTART_APP = """\
package {package};

/**
 * Hello world!
 *
 */
public class App{trail}
{{
    public static void main( String[] args )
    {{
        System.out.println( "Hello World!" );
    }}
}}
"""

QUICKSTART_TEST = """\
package {package};

import junit.framework.Test;
import junit.framework.TestCase;
import junit.framework.TestSuite;

/**
 * Unit test for simple App.
 */
public class AppTest{trail}
    extends TestCase
{{
    /**
     * Create the test case
     *
     * @param testName name of the test case
     */
    public AppTest( String testName )
    {{
        super( testName );
    }}

    /**
     * @return the suite of tests being tested
     */
    public static Test suite()
    {{
        return new TestSuite( AppTest.class );
    }}

    /**
     * Rigourous Test :-)
     */
    public void testApp()
    {{
        assertTrue( true );
    }}
}}
"""


def quickstart_files(group: str, artifact: str, version: str, package: str) -> dict[str, str]:
    """The files ``maven-archetype-quickstart`` 1.0 generates, by path relative to the project."""
    pkg_path = package.replace(".", "/")
    return {
        "pom.xml": QUICKSTART_POM.format(group=group, artifact=artifact, version=version),
        # the archetype's sources end these lines with a space; kept
        f"src/main/java/{pkg_path}/App.java": QUICKSTART_APP.format(package=package, trail=" "),
        f"src/test/java/{pkg_path}/AppTest.java": QUICKSTART_TEST.format(
            package=package, trail=" "
        ),
    }


def write_files(dest: Path, files: dict[str, str]) -> list[str]:
    """Write ``files`` (relative path -> text) under ``dest``; the paths written, sorted."""
    for rel, text in files.items():
        path = dest / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return sorted(files)
