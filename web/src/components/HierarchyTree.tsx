import type { OrgLevel } from '@civicgrid/domain';
import { useMemo } from 'react';
import { pathTo, type UnitProps, type UnitTree } from '../hierarchy';
import { type MessageKey, useT } from '../i18n';

export const levelKeys: Record<OrgLevel, MessageKey> = {
  district: 'levelDistrict',
  street: 'levelStreet',
  community: 'levelCommunity',
  grid: 'levelGrid',
};

/**
 * The city's units as a tree of buttons that select a unit (district > street > community > grid). The
 * branches down to the selected unit are open; a district's streets are always shown.
 */
export function HierarchyTree(props: {
  tree: UnitTree;
  selected: string | undefined;
  onSelect: (code: string) => void;
}) {
  const open = useMemo(() => new Set(pathTo(props.tree, props.selected)), [props.tree, props.selected]);
  return <Branch units={props.tree.roots} open={open} {...props} />;
}

function Branch(props: {
  units: UnitProps[];
  tree: UnitTree;
  open: Set<string>;
  selected: string | undefined;
  onSelect: (code: string) => void;
}) {
  const { t } = useT();
  return (
    <ul>
      {props.units.map((unit) => {
        const children = props.tree.byParent.get(unit.code) ?? [];
        const disclosed = children.length > 0 && unit.level !== 'district';
        const label = (
          <button
            type="button"
            className="link"
            aria-current={props.selected === unit.code ? 'true' : undefined}
            onClick={() => props.onSelect(unit.code)}
            data-code={unit.code}
          >
            {unit.name} <span className="muted small">{unit.code}</span>
            <span className="sr-only"> {t(levelKeys[unit.level])}</span>
          </button>
        );
        return (
          <li key={unit.code} className={disclosed ? 'branch' : undefined}>
            {disclosed ? (
              <>
                {/* The unit's button beside, not inside, the disclosure: no control nested in another. */}
                {label}
                <details open={props.open.has(unit.code)}>
                  <summary>
                    <span className="sr-only">{unit.name}</span>
                  </summary>
                  <Branch {...props} units={children} />
                </details>
              </>
            ) : (
              <>
                {label}
                {children.length > 0 && <Branch {...props} units={children} />}
              </>
            )}
          </li>
        );
      })}
    </ul>
  );
}
