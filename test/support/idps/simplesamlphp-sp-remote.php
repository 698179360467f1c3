<?php
/**
 * Reads SAML SP metadata (XML) on stdin and prints it as SimpleSAMLphp's saml20-sp-remote
 * entry (`$metadata['<entity ID>'] = [...];`), converted by SimpleSAMLphp's own parser as its
 * admin "XML to SimpleSAMLphp metadata converter" does. Extra settings as JSON in argv[1] are
 * merged in (what an admin adds by hand, such as simplesaml.nameidattribute).
 * Run by simplesamlphp.ts with SIMPLESAMLPHP_CONFIG_DIR set to the IdP's config folder.
 */
declare(strict_types=1);

require_once '/usr/share/simplesamlphp/lib/_autoload.php';

$xml = stream_get_contents(STDIN);
$extra = isset($argv[1]) ? json_decode($argv[1], true, 8, JSON_THROW_ON_ERROR) : [];
$entities = \SimpleSAML\Metadata\SAMLParser::parseDescriptorsString($xml);
$out = '';
foreach ($entities as $entityId => $entity) {
    $sp = $entity->getMetadata20SP();
    if ($sp === null) {
        fwrite(STDERR, "no SPSSODescriptor for $entityId\n");
        exit(1);
    }
    unset($sp['entityDescriptor'], $sp['expire']);
    $out .= '$metadata[' . var_export($entityId, true) . '] = ' . var_export(array_merge($sp, $extra), true) . ";\n";
}
if ($out === '') {
    fwrite(STDERR, "no entity in the metadata\n");
    exit(1);
}
echo $out;
