// React page: React 19 passes props to custom elements as properties when the element has them, and
// attributes otherwise; the kit's events (crm-params-change, crm-select) are listened to with a ref.
import { StrictMode, useEffect, useRef, useState } from 'react';
import { createRoot } from 'react-dom/client';
import '../../src/index.js';
import type { CrmData, CrmParamsChangeEvent, CrmRevenue, CrmRfm, CrmRoas, CrmSelectEvent } from '../../src/index.js';

/** The kit's elements as JSX tags, typed from their classes. */
type ElementProps<T> = Partial<Omit<T, keyof HTMLElement>> & { id?: string; class?: string; ref?: React.Ref<T> };
declare module 'react' {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace JSX {
    interface IntrinsicElements {
      'crm-data': ElementProps<CrmData> & { orders?: string; touches?: string; costs?: string; customers?: string };
      'crm-revenue': ElementProps<CrmRevenue>;
      'crm-roas': ElementProps<CrmRoas>;
      'crm-rfm': ElementProps<CrmRfm>;
    }
  }
}

function Dashboard(): React.JSX.Element {
  const revenue = useRef<CrmRevenue>(null);
  const rfm = useRef<CrmRfm>(null);
  const [window, setWindow] = useState('5d');
  const [selected, setSelected] = useState<string>('nothing yet');
  useEffect(() => {
    const onParams = (event: CrmParamsChangeEvent): void => setWindow(String(event.detail.params['window']));
    const onSelect = (event: CrmSelectEvent): void => setSelected(`${event.detail.segment ?? `R${event.detail.cell?.r} F${event.detail.cell?.f}`}: ${event.detail.count} customers`);
    const r = revenue.current;
    const g = rfm.current;
    r?.addEventListener('crm-params-change', onParams);
    g?.addEventListener('crm-select', onSelect);
    return () => {
      r?.removeEventListener('crm-params-change', onParams);
      g?.removeEventListener('crm-select', onSelect);
    };
  }, []);
  return (
    <>
      <p>
        Window from the revenue widget, passed on to ROAS by React: <strong>{window}</strong>. Selected in the RFM grid: <strong>{selected}</strong>.
      </p>
      <crm-data id="react-data" orders="./data/orders.csv" touches="./data/touches.csv" costs="./data/costs.csv" customers="./data/customers.csv" timezone="Europe/Berlin" currency="EUR" />
      <div className="widgets">
        <crm-revenue ref={revenue} data="react-data" class="wide" />
        <crm-roas data="react-data" window={window} />
        <crm-rfm ref={rfm} data="react-data" bins={4} />
      </div>
    </>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Dashboard />
  </StrictMode>,
);
