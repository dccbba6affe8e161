package com.tokenwallet.domain;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tokenwallet.domain.service.WalletService;
import org.junit.jupiter.api.Test;

/** The domain is pure Java: no AWS SDK, no Lambda runtime, no Micronaut, no Stripe, no injection annotations. */
class ArchitectureTest {

    private static final String[] FORBIDDEN = {
            "software.amazon..", "com.amazonaws..", "io.micronaut..", "com.stripe..", "jakarta.inject.."};

    private static final JavaClasses DOMAIN = new ClassFileImporter()
            .withImportOption(new ImportOption.DoNotIncludeTests())
            .importPackages("com.tokenwallet.domain");

    @Test
    void theImport_holdsTheDomainsProductionClasses_andNoTestClass() {
        assertThat(DOMAIN.contain(WalletService.class)).isTrue();
        assertThat(DOMAIN.contain(ArchitectureTest.class)).isFalse();
        assertThat(DOMAIN.size()).isGreaterThan(30);
    }

    @Test
    void domain_dependsOnNoCloudFrameworkOrPaymentLibrary() {
        ArchRule rule = noClasses().that().resideInAPackage("com.tokenwallet.domain..")
                .should().dependOnClassesThat().resideInAnyPackage(FORBIDDEN)
                .because("the domain is pure Java; adapters and handlers bring the technology (STYLE.md habit 2)");

        rule.check(DOMAIN);
    }
}
